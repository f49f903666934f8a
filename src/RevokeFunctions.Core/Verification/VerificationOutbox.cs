using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Verification;

/// <summary>
/// The revocations still to prove, one row each in the ledger's table (partition <see cref="Partition"/>), drained by
/// the verification timer. A row rather than a wait in the process that revoked: an instance that dies or is frozen
/// after answering (the Functions host freezes idle workers) would lose an in-memory check, while a row stays due until
/// some instance reads it. One partition, so listing what is due is one query, never a scan of the ledger.
/// </summary>
public class VerificationOutbox(TableServiceClient? tables, IOptions<LedgerOptions> ledger, TimeProvider time)
{
    public const string Partition = "outbox-verify";

    private readonly TableOnFirstUse? table =
        tables is null ? null : new TableOnFirstUse(tables, ledger.Value.TableName, ledger.Value.OperationTimeout);

    /// <summary>False without a ledger: nothing can be scheduled, and the pipeline says so.</summary>
    public bool IsConfigured => table is not null;

    /// <summary>Records the revocation to prove, first due at <paramref name="dueAt"/>. Throws on a store failure.</summary>
    public virtual Task AddAsync(VerificationTicket ticket, DateTimeOffset dueAt, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return RunAsync(async (client, ct) =>
        {
            var row = ToRow(ticket, dueAt, deadline);
            await client.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>The rows due by now, at most <paramref name="max"/>. Throws on a store failure.</summary>
    internal Task<IReadOnlyList<VerificationEntry>> ListDueAsync(int max, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<VerificationEntry>>(async (client, ct) =>
        {
            var now = time.GetUtcNow();
            var due = new List<VerificationEntry>();
            await foreach (var row in client.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and DueAt le {now}"), cancellationToken: ct))
            {
                if (FromRow(row) is { } entry)
                    due.Add(entry);
                if (due.Count >= max)
                    break;
            }
            return due;
        }, cancellationToken);

    /// <summary>
    /// Takes a due row for one check: it is not due again until <paramref name="lease"/> has passed, so two runs never
    /// check it at once. Null when another run took it first.
    /// </summary>
    internal Task<VerificationEntry?> ClaimAsync(VerificationEntry entry, TimeSpan lease, CancellationToken cancellationToken) =>
        RunAsync(async (client, ct) =>
        {
            try
            {
                var response = await client.UpdateEntityAsync(new TableEntity(Partition, entry.RowKey) { ["DueAt"] = time.GetUtcNow() + lease },
                    entry.ETag, TableUpdateMode.Merge, ct);
                return entry with { ETag = response.Headers.ETag ?? entry.ETag };
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                return (VerificationEntry?)null;
            }
        }, cancellationToken);

    /// <summary>Due again at <paramref name="dueAt"/>, remembering the checks made and the value last read.</summary>
    internal Task RescheduleAsync(VerificationEntry entry, DateTimeOffset dueAt, CancellationToken cancellationToken) =>
        RunAsync(async (client, ct) =>
        {
            try
            {
                await client.UpdateEntityAsync(new TableEntity(Partition, entry.RowKey)
                {
                    ["DueAt"] = dueAt,
                    ["Checks"] = entry.Ticket.Checks,
                    ["LastValidFrom"] = entry.Ticket.LastValidFrom,
                }, entry.ETag, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Removed or taken meanwhile.
            }
            return true;
        }, cancellationToken);

    internal Task RemoveAsync(VerificationEntry entry, CancellationToken cancellationToken) =>
        RunAsync(async (client, ct) =>
        {
            try
            {
                await client.DeleteEntityAsync(Partition, entry.RowKey, entry.ETag, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Gone already.
            }
            return true;
        }, cancellationToken);

    /// <summary>A revocation's row: one per request and user, so a repeat of the same revocation replaces it.</summary>
    public static string RowKeyOf(VerificationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var identity = ticket.LedgerRow is { } row ? $"{row.PartitionKey}\n{row.RowKey}" : $"{ticket.RequestId}\n{ticket.UserId}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16));
    }

    private TableEntity ToRow(VerificationTicket ticket, DateTimeOffset dueAt, DateTimeOffset deadline) =>
        new(Partition, RowKeyOf(ticket))
        {
            ["RequestId"] = ticket.RequestId,
            ["UserId"] = ticket.UserId,
            ["UserPrincipalName"] = ticket.UserPrincipalName,
            ["SourceKind"] = ticket.SourceKind,
            ["RevokedAt"] = ticket.RevokedAt,
            ["PreviousValidFrom"] = ticket.PreviousValidFrom,
            ["LedgerPartition"] = ticket.LedgerRow?.PartitionKey,
            ["LedgerRow"] = ticket.LedgerRow?.RowKey,
            ["WriteBackKey"] = ticket.WriteBackKey,
            ["TargetKey"] = ticket.TargetKey,
            ["Checks"] = ticket.Checks,
            ["LastValidFrom"] = ticket.LastValidFrom,
            ["DueAt"] = dueAt,
            ["Deadline"] = deadline,
            // The ledger's retention purge reads this column: a row left behind goes with the rest.
            ["UpdatedAt"] = time.GetUtcNow(),
        };

    private static VerificationEntry? FromRow(TableEntity row)
    {
        if (row.GetString("RequestId") is not { } requestId || row.GetString("UserId") is not { } userId
            || row.GetDateTimeOffset("RevokedAt") is not { } revokedAt || row.GetDateTimeOffset("Deadline") is not { } deadline)
        {
            return null;
        }
        var ticket = new VerificationTicket(requestId, userId, revokedAt, row.GetDateTimeOffset("PreviousValidFrom"))
        {
            LedgerRow = row.GetString("LedgerPartition") is { } partition && row.GetString("LedgerRow") is { } rowKey ? new LedgerKey(partition, rowKey) : null,
            WriteBackKey = row.GetString("WriteBackKey"),
            TargetKey = row.GetString("TargetKey"),
            UserPrincipalName = row.GetString("UserPrincipalName"),
            SourceKind = row.GetString("SourceKind") ?? "unknown",
            Checks = row.GetInt32("Checks") ?? 0,
            LastValidFrom = row.GetDateTimeOffset("LastValidFrom"),
        };
        return new VerificationEntry(row.RowKey, ticket, deadline, row.ETag);
    }

    /// <summary>One operation within the ledger's operation timeout; every store failure becomes one exception type.</summary>
    private Task<T> RunAsync<T>(Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        table is null
            ? throw new VerificationStoreException("No verification store: the ledger is not configured.", null)
            : LedgerTableCall.RunAsync(table, ledger.Value.OperationTimeout, operation,
                (failure, problem) => new VerificationStoreException(problem, failure), cancellationToken);

    internal static string Format(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "none";
}
