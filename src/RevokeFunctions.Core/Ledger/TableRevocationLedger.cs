using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.Ledger;

/// <summary>
/// The ledger in Azure Table storage. Every write that decides something is conditional on the row's ETag: inserting
/// fails if the row exists (409), replacing fails if another writer got there first (412), and both come back as
/// "lost the race" for the caller to re-read. Any other failure, and any operation slower than
/// <see cref="LedgerOptions.OperationTimeout"/>, is a <see cref="LedgerUnavailableException"/>.
/// </summary>
public sealed partial class TableRevocationLedger : IRevocationLedger
{
    /// <summary>Table storage takes at most 100 operations, all in one partition, per transaction.</summary>
    private const int MaxBatch = 100;

    private readonly TableServiceClient service;
    private readonly LedgerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<TableRevocationLedger> logger;
    private readonly TableOnFirstUse table;

    public TableRevocationLedger(TableServiceClient service, IOptions<LedgerOptions> options, TimeProvider time, ILogger<TableRevocationLedger> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.service = service;
        this.options = options.Value;
        table = new TableOnFirstUse(service, this.options.TableName, this.options.OperationTimeout);
        this.time = time;
        this.logger = logger;
    }

    public bool IsConfigured => true;

    public Task<LedgerEntry?> FindAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunAsync("read", async (client, ct) =>
        {
            var found = await client.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: ct);
            return found.HasValue ? LedgerEntity.FromRow(found.Value!) : null;
        }, cancellationToken);
    }

    public Task<LedgerEntry?> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return RunAsync("add", async (client, ct) =>
        {
            try
            {
                var added = await client.AddEntityAsync(LedgerEntity.ToRow(entry), ct);
                return entry with { ETag = added.Headers.ETag ?? ETag.All };
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                return null;
            }
        }, cancellationToken);
    }

    public Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return RunAsync(entry.State == LedgerState.Revoking ? "claim" : "record", async (client, ct) =>
        {
            try
            {
                var replaced = await client.UpdateEntityAsync(LedgerEntity.ToRow(entry), entry.ETag, TableUpdateMode.Replace, ct);
                return entry with { ETag = replaced.Headers.ETag ?? ETag.All };
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Another writer changed (or a purge removed) the row since it was read.
                return null;
            }
        }, cancellationToken);
    }

    public Task LinkAsync(string requestId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return RunAsync("link", async (client, ct) =>
        {
            await client.UpsertEntityAsync(LedgerEntity.ToLink(requestId, entry, time.GetUtcNow()), TableUpdateMode.Replace, ct);
            return true;
        }, cancellationToken);
    }

    public Task UnlinkAsync(string requestId, LedgerKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunAsync("unlink", async (client, ct) =>
        {
            try
            {
                await client.DeleteEntityAsync(LedgerScope.RequestPartition(requestId), key.RowKey, ETag.All, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Never linked, or unlinked already.
            }
            return true;
        }, cancellationToken);
    }

    public Task<bool> RecordVerificationAsync(LedgerKey key, Verification.VerificationStatus verification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(verification);
        return RunAsync("verification", async (client, ct) =>
        {
            // A merge of the proof's columns alone, unconditionally: it changes no decision, and a writer holding the
            // row's old ETag reads it again (412) and keeps the proof, since every row it writes is read from the table.
            var row = new TableEntity(key.PartitionKey, key.RowKey);
            LedgerEntity.WriteVerification(row, verification);
            try
            {
                await client.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Merge, ct);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return false; // Purged meanwhile.
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return RunAsync<IReadOnlyList<LedgerEntry>>("list", async (client, ct) =>
        {
            var links = new List<(LedgerKey Row, int Position, string? Given)>();
            var partition = LedgerScope.RequestPartition(requestId);
            await foreach (var link in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct))
                links.Add(LedgerEntity.FromLink(link));

            var rows = await Task.WhenAll(links.Select(async link =>
            {
                var found = await client.GetEntityIfExistsAsync<TableEntity>(link.Row.PartitionKey, link.Row.RowKey, cancellationToken: ct);
                return found.HasValue
                    ? LedgerEntity.FromRow(found.Value!) with { Position = link.Position, Given = link.Given ?? found.Value!.GetString("Given") }
                    : null;
            }));
            return [.. rows.OfType<LedgerEntry>().OrderBy(e => e.Position).ThenBy(e => e.Given, StringComparer.Ordinal)];
        }, cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        // A purge walks the whole table and may take a while: no per-operation timeout, only the caller's token.
        try
        {
            var client = await table.GetAsync(cancellationToken);
            var deleted = 0;
            var stale = client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"UpdatedAt lt {olderThan.ToUniversalTime()}"),
                select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken);
            await foreach (var page in stale.AsPages())
            {
                foreach (var partition in page.Values.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
                {
                    foreach (var chunk in partition.Chunk(MaxBatch))
                    {
                        var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All));
                        await client.SubmitTransactionAsync(actions, cancellationToken);
                        deleted += chunk.Length;
                    }
                }
            }
            return deleted;
        }
        catch (Exception ex) when (DependencyFailure.IsStorageFailure(ex))
        {
            LogUnavailable(logger, "purge", DependencyFailure.Describe(ex));
            throw new LedgerUnavailableException($"The ledger purge failed: {DependencyFailure.Describe(ex)}.", ex);
        }
    }

    /// <summary>Runs one ledger operation within the operation timeout, turning every store failure into one exception type.</summary>
    private Task<T> RunAsync<T>(string step, Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        LedgerTableCall.RunAsync(table, options.OperationTimeout, operation, (failure, problem) =>
        {
            LogUnavailable(logger, step, problem);
            return failure is OperationCanceledException
                ? new LedgerUnavailableException(
                    $"The ledger did not answer within {options.OperationTimeout} (Ledger:OperationTimeout) at step '{step}'.", failure)
                : new LedgerUnavailableException($"The ledger failed at step '{step}': {problem}.", failure);
        }, cancellationToken);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "Revocation ledger unavailable at step {LedgerStep}: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string ledgerStep, string problem);
}
