using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Queue;

/// <summary>
/// The dead letter the app meant to make for a request, kept beside the ledger (its table, partition
/// <c>d-&lt;requestId&gt;</c>, so the retention purge removes it too). Written before every dead-letter call, because that
/// call goes over the worker's channel to the host, which has failed in the field: when it keeps failing, Service Bus
/// dead-letters the message itself as <c>MaxDeliveryCountExceeded</c>, and <c>revoke dlq list/show</c> finds the
/// app's reason and description here by request ID.
/// </summary>
public partial class DeadLetterIntents
{
    internal const string RowKey = "dead-letter";
    private const string PartitionPrefix = "d-";

    private readonly TableOnFirstUse? table;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;
    private readonly ILogger<DeadLetterIntents> logger;

    /// <param name="tables">The ledger's Table service; null when no ledger is configured (nothing is kept).</param>
    public DeadLetterIntents(TableServiceClient? tables, IOptions<LedgerOptions> options, TimeProvider time, ILogger<DeadLetterIntents> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        timeout = options.Value.OperationTimeout;
        table = tables is null ? null : new TableOnFirstUse(tables, options.Value.TableName, timeout);
        this.time = time;
        this.logger = logger;
    }

    public virtual bool IsConfigured => table is not null;

    /// <summary>Keeps the intended reason; false (logged) when the store did not take it. Never throws for a store failure.</summary>
    public virtual async Task<bool> RecordAsync(string requestId, string? messageId, DeadLetterNotice notice, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(notice);
        return await RunAsync(requestId, async (client, ct) =>
        {
            var now = time.GetUtcNow();
            var row = new TableEntity(PartitionPrefix + requestId, RowKey)
            {
                ["Reason"] = notice.Reason.ToString(),
                ["Description"] = notice.Description,
                ["MessageId"] = messageId,
                ["RecordedAt"] = now,
                ["UpdatedAt"] = now,
            };
            await client.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>The intended dead letter of a request; null when none is kept or the store cannot be read (logged).</summary>
    public virtual async Task<IntendedDeadLetter?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return await RunAsync<IntendedDeadLetter?>(requestId, async (client, ct) =>
        {
            var found = await client.GetEntityIfExistsAsync<TableEntity>(PartitionPrefix + requestId, RowKey, cancellationToken: ct);
            if (!found.HasValue || found.Value!.GetString("Reason") is not { Length: > 0 } reason)
                return null;
            var row = found.Value;
            return new IntendedDeadLetter(reason, row.GetString("Description") ?? "", row.GetDateTimeOffset("RecordedAt"), row.GetString("MessageId"));
        }, cancellationToken);
    }

    /// <summary>One operation within the ledger's operation timeout; a store failure is logged and answered with the default.</summary>
    private async Task<T?> RunAsync<T>(string requestId, Func<TableClient, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (table is null)
            return default;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await operation(await table.GetAsync(limit.Token), limit.Token);
        }
        catch (Exception ex) when (DependencyFailure.IsStorageFailure(ex) || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnavailable(logger, requestId, ex is OperationCanceledException ? "no answer in time" : DependencyFailure.Describe(ex));
            return default;
        }
    }

    [LoggerMessage(EventId = 47, Level = LogLevel.Warning,
        Message = "The intended dead letter of request {RequestId} could not be kept or read beside the ledger: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string requestId, string problem);
}

/// <summary>What the app meant to dead-letter a request with: its reason code and description, and when.</summary>
public sealed record IntendedDeadLetter(string Reason, string Description, DateTimeOffset? RecordedAt, string? MessageId);
