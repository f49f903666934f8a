using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Intake;

/// <summary>
/// Intake and idempotency-key records in the ledger's table, beside its target rows: partition <c>i-&lt;requestId&gt;</c>
/// for a request's intake record, <c>k-&lt;hash of caller and key&gt;</c> for a key's record. Only the app's identity
/// writes this table, so nothing a queue sender puts in a message can change what a retry is allowed to do. Both carry
/// <c>UpdatedAt</c>, so the ledger's daily purge removes them with its retention.
/// </summary>
public sealed class TableIntakeStore : IntakeStore
{
    private const string IntakePrefix = "i-";
    private const string KeyPrefix = "k-";
    private const string IntakeRow = "intake";
    private const string KeyRow = "key";
    private const int MaxRounds = 3;

    private readonly LedgerOptions options;
    private readonly TableOnFirstUse table;

    public TableIntakeStore(TableServiceClient service, IOptions<LedgerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        table = new TableOnFirstUse(service, this.options.TableName, this.options.OperationTimeout);
    }

    public override bool IsConfigured => true;

    public override Task<IntakeRecord?> FindAsync(string requestId, CancellationToken cancellationToken) =>
        RunAsync(async (client, ct) =>
        {
            var found = await client.GetEntityIfExistsAsync<TableEntity>(IntakePartition(requestId), IntakeRow, cancellationToken: ct);
            return found.HasValue ? FromRow(found.Value!) : null;
        }, cancellationToken);

    public override Task SaveAsync(IntakeRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RunAsync(async (client, ct) =>
        {
            try
            {
                await client.AddEntityAsync(ToRow(record), ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Recorded already, by this request's first attempt: that record stands.
            }
            return true;
        }, cancellationToken);
    }

    public override Task<IdempotencyKeyClaim> ClaimKeyAsync(
        string callerScope, string key, string bodySha256, string requestId, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(callerScope);
        ArgumentNullException.ThrowIfNull(key);
        var partition = KeyPrefix + LedgerScope.Hash(callerScope + "\n" + key);
        return RunAsync(async (client, ct) =>
        {
            for (var round = 0; round < MaxRounds; round++)
            {
                var generation = Guid.NewGuid().ToString("N");
                var row = new TableEntity(partition, KeyRow)
                {
                    ["BodySha256"] = bodySha256,
                    ["FirstRequestId"] = requestId,
                    ["Generation"] = generation,
                    ["CreatedAt"] = now,
                    ["ExpiresAt"] = now + window,
                    ["UpdatedAt"] = now,
                };
                var created = new IdempotencyKeyClaim(IdempotencyKeyStatus.New, generation, requestId, now + window);
                try
                {
                    await client.AddEntityAsync(row, ct);
                    return created;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                }

                var existing = await client.GetEntityIfExistsAsync<TableEntity>(partition, KeyRow, cancellationToken: ct);
                if (!existing.HasValue)
                    continue; // Purged between the two calls: add again.
                var entity = existing.Value!;
                var expiresAt = entity.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue;
                if (expiresAt <= now)
                {
                    // The window ran out: the key may name a new request now.
                    try
                    {
                        await client.UpdateEntityAsync(row, entity.ETag, TableUpdateMode.Replace, ct);
                        return created;
                    }
                    catch (RequestFailedException ex) when (ex.Status is 412 or 404)
                    {
                        continue;
                    }
                }
                var status = string.Equals(entity.GetString("BodySha256"), bodySha256, StringComparison.Ordinal)
                    ? IdempotencyKeyStatus.Replay
                    : IdempotencyKeyStatus.Reused;
                return new IdempotencyKeyClaim(status, entity.GetString("Generation"), entity.GetString("FirstRequestId"), expiresAt);
            }
            return IdempotencyKeyClaim.Unchecked;
        }, cancellationToken);
    }

    private static string IntakePartition(string requestId) =>
        IntakePrefix + (LedgerScope.IsWellFormedRequestId(requestId) ? requestId : LedgerScope.Hash(requestId));

    private static TableEntity ToRow(IntakeRecord record) => new(IntakePartition(record.RequestId), IntakeRow)
    {
        ["RequestId"] = record.RequestId,
        ["Channel"] = record.Channel.ToString(),
        ["ReceivedAt"] = record.ReceivedAt,
        ["BodySha256"] = record.BodySha256,
        ["Requester"] = record.Requester,
        ["CallerIsPerson"] = record.CallerIsPerson,
        ["MayRevokeProtected"] = record.MayRevokeProtected,
        ["DryRun"] = record.DryRun,
        ["IdempotencyKey"] = record.IdempotencyKey,
        ["KeyGeneration"] = record.KeyGeneration,
        ["UpdatedAt"] = record.ReceivedAt,
    };

    private static IntakeRecord? FromRow(TableEntity row)
    {
        if (row.GetString("RequestId") is not { } requestId || row.GetString("BodySha256") is not { } hash
            || !Enum.TryParse<RequestChannel>(row.GetString("Channel"), out var channel))
        {
            return null;
        }
        return new IntakeRecord(requestId, channel, row.GetDateTimeOffset("ReceivedAt") ?? DateTimeOffset.MinValue, hash)
        {
            Requester = row.GetString("Requester"),
            CallerIsPerson = row.GetBoolean("CallerIsPerson") ?? false,
            MayRevokeProtected = row.GetBoolean("MayRevokeProtected") ?? false,
            DryRun = row.GetBoolean("DryRun") ?? false,
            IdempotencyKey = row.GetString("IdempotencyKey"),
            KeyGeneration = row.GetString("KeyGeneration"),
        };
    }

    private Task<T> RunAsync<T>(Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        LedgerTableCall.RunAsync(table, options.OperationTimeout, operation, cancellationToken);
}
