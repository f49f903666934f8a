using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// What the write-back did for each request, in the ledger's table under partitions of its own (<c>w-&lt;key&gt;</c>,
/// beside the ledger's <c>s-</c> and <c>r-</c>), so the ledger's retention purge removes them with everything else:
/// a <c>request</c> row with each channel's status, digest and last problem, and one <c>t-…</c> row per target with
/// its latest line and what has been sent about it. Failures to read or write it are logged, never thrown.
/// </summary>
public sealed partial class WriteBackRecord(
    TableServiceClient? tables,
    IOptions<LedgerOptions> ledger,
    TimeProvider time,
    ILogger<WriteBackRecord> logger)
{
    public const string PartitionPrefix = "w-";
    public const string RequestRow = "request";

    /// <summary>The outbox: one row per request with something not yet delivered, named by its write-back key.</summary>
    public const string OutboxPartition = "outbox-writeback";
    private const int MaxBatch = 100;
    private const int MaxText = 4000;

    private readonly TableOnFirstUse? table =
        tables is null ? null : new TableOnFirstUse(tables, ledger.Value.TableName, ledger.Value.OperationTimeout);

    public static string PartitionKey(WriteBackKey key) => PartitionPrefix + key.Value;

    internal async Task<WriteBackState> LoadAsync(WriteBackKey key, CancellationToken cancellationToken)
    {
        if (table is null)
            return WriteBackState.Unavailable;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ledger.Value.OperationTimeout);
        try
        {
            var client = await table.GetAsync(timeout.Token);
            var lines = new Dictionary<string, RecordedLine>(StringComparer.Ordinal);
            var channels = new Dictionary<WriteBackChannel, ChannelRecord>();
            TableEntity? request = null;
            var partition = PartitionKey(key);
            await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
                cancellationToken: timeout.Token))
            {
                if (row.RowKey == RequestRow)
                {
                    request = row;
                    foreach (var channel in Enum.GetValues<WriteBackChannel>())
                    {
                        if (ReadChannel(row, channel) is { } record)
                            channels[channel] = record;
                    }
                }
                else if (ReadLine(row) is { } line)
                {
                    lines[line.Line.Key] = line;
                }
            }
            return new WriteBackState(true, request?.GetString("RequestId"), lines, channels, request?.GetBoolean("RefusalNotified") ?? false)
            {
                Source = Read(request?.GetString("Source"), WriteBackJsonContext.Default.SourceReference),
                Error = Read(request?.GetString("Error"), WriteBackJsonContext.Default.PayloadError),
                DeadLetter = Enum.TryParse<ReasonCode>(request?.GetString("DeadLetterReason"), out var dead)
                    ? new RecordedDeadLetter(dead, request!.GetString("DeadLetterDescription") ?? "")
                    : null,
                Undelivered = request?.GetBoolean("Undelivered") ?? false,
                DecisionId = request?.GetString("DecisionId"),
            };
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            LogUnavailable(logger, "read", key.Value, Describe(ex));
            return WriteBackState.Unavailable;
        }
    }

    /// <summary>
    /// The request row (first request ID, source, refusal, dead letter; marked undelivered) and the lines that changed,
    /// in one transaction per 100 rows: the delivery reads them back. Only what a decision says is written here, never
    /// what was sent, so a delivery running meanwhile keeps its marks.
    /// </summary>
    internal Task<bool> SaveDecisionAsync(WriteBackKey key, WriteBackState before, RequestOutcome decision, string decisionId,
        IReadOnlyCollection<OutcomeLine> lines) =>
        RunAsync("decision", key, async (client, ct) =>
        {
            var now = time.GetUtcNow();
            var request = RequestEntity(key, before.RequestId ?? decision.Context.RequestId, decision.Source ?? before.Source);
            request["Undelivered"] = true;
            request["DecisionId"] = decisionId;
            if (decision.Result.Error is { } error)
                request["Error"] = Cap(JsonSerializer.Serialize(error, WriteBackJsonContext.Default.PayloadError));
            if (decision.DeadLetter is { } dead)
            {
                request["DeadLetterReason"] = dead.Reason.ToString();
                request["DeadLetterDescription"] = Cap(dead.Description);
            }
            var rows = lines.Select(l => ToRow(key, l, now)).Prepend(request);
            foreach (var chunk in rows.Chunk(MaxBatch))
                await client.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertMerge, row)), ct);
        });

    /// <summary>What a delivery sent about each target: webhook events and manager mails, nothing of the decision.</summary>
    internal Task<bool> SaveSentAsync(WriteBackKey key, IReadOnlyCollection<RecordedLine> lines)
    {
        if (lines.Count == 0)
            return Task.FromResult(true);
        return RunAsync("sent", key, async (client, ct) =>
        {
            var rows = lines.Select(l => new TableEntity(PartitionKey(key), LineRow(l.Line.Key))
            {
                ["Notified"] = string.Join(' ', l.NotifiedEvents.Order()),
                ["ManagerMail"] = l.ManagerMail?.ToString(),
            });
            foreach (var chunk in rows.Chunk(MaxBatch))
                await client.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertMerge, row)), ct);
        });
    }

    /// <summary>
    /// Clears the request's undelivered mark once its outbox row is gone, unless a decision was recorded since the
    /// delivery read it (its decision ID changed): then the mark stays, and the next attempt of the request schedules it again.
    /// </summary>
    internal Task<bool> MarkDeliveredAsync(WriteBackKey key, string decisionId) =>
        RunAsync("delivered", key, async (client, ct) =>
        {
            try
            {
                var row = (await client.GetEntityAsync<TableEntity>(PartitionKey(key), RequestRow, ["DecisionId"], ct)).Value;
                if (row.GetString("DecisionId") != decisionId)
                    return;
                await client.UpdateEntityAsync(new TableEntity(PartitionKey(key), RequestRow) { ["Undelivered"] = false }, row.ETag,
                    TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // A decision came in meanwhile: it is scheduled again.
            }
        });

    internal Task<bool> SaveChannelAsync(WriteBackKey key, string requestId, SourceReference? source, WriteBackChannel channel, ChannelRecord record) =>
        RunAsync(channel.ToString(), key, (client, ct) =>
        {
            var row = RequestEntity(key, requestId, source);
            row[$"{channel}Status"] = record.Status.ToString();
            row[$"{channel}Digest"] = record.Digest;
            row[$"{channel}Attempts"] = record.Attempts;
            row[$"{channel}Problem"] = Cap(record.Problem);
            row[$"{channel}At"] = record.At;
            return client.UpsertEntityAsync(row, TableUpdateMode.Merge, ct);
        });

    internal Task<bool> SaveRefusalNotifiedAsync(WriteBackKey key, string requestId, SourceReference? source) =>
        RunAsync("refusal", key, (client, ct) =>
        {
            var row = RequestEntity(key, requestId, source);
            row["RefusalNotified"] = true;
            return client.UpsertEntityAsync(row, TableUpdateMode.Merge, ct);
        });

    /// <summary>
    /// Puts the request in the outbox, due now, naming the decision it is for; a row already there is due now again
    /// (its ETag changes).
    /// </summary>
    internal Task<bool> ScheduleAsync(WriteBackKey key, string requestId, string decisionId) =>
        RunAsync("outbox", key, (client, ct) => client.UpsertEntityAsync(new TableEntity(OutboxPartition, key.Value)
        {
            ["RequestId"] = requestId,
            ["DecisionId"] = decisionId,
            ["DueAt"] = time.GetUtcNow(),
            ["Deliveries"] = 0,
        }, TableUpdateMode.Replace, ct));

    /// <summary>
    /// The proof of one target's revocation, into its line, and the request due for delivery again, so comments show
    /// it and the webhook tells an unverified one. Nothing is written when the record has no such line (the
    /// write-back was off when the request was decided). False when the store failed.
    /// </summary>
    internal Task<bool> SaveVerificationAsync(WriteBackKey key, string targetKey, string requestId, VerificationStatus verification) =>
        RunAsync("verification", key, async (client, ct) =>
        {
            try
            {
                await client.UpdateEntityAsync(new TableEntity(PartitionKey(key), LineRow(targetKey))
                {
                    ["Verification"] = verification.State.ToString(),
                    ["SessionsValidFrom"] = verification.SessionsValidFrom,
                    ["VerifiedAt"] = verification.VerifiedAt,
                }, ETag.All, TableUpdateMode.Merge, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return;
            }
            var decisionId = Guid.NewGuid().ToString("N");
            await client.UpdateEntityAsync(new TableEntity(PartitionKey(key), RequestRow) { ["Undelivered"] = true, ["DecisionId"] = decisionId },
                ETag.All, TableUpdateMode.Merge, ct);
            // Many proofs of one request collapse into its one outbox row, due now.
            await client.UpsertEntityAsync(new TableEntity(OutboxPartition, key.Value)
            {
                ["RequestId"] = requestId,
                ["DecisionId"] = decisionId,
                ["DueAt"] = time.GetUtcNow(),
                ["Deliveries"] = 0,
            }, TableUpdateMode.Replace, ct);
        });

    /// <summary>The outbox rows due by now, oldest first, at most <paramref name="max"/>.</summary>
    internal async Task<IReadOnlyList<OutboxEntry>> ListDueAsync(int max, CancellationToken cancellationToken)
    {
        if (table is null)
            return [];
        var client = await table.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var due = new List<OutboxEntry>();
        await foreach (var row in client.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OutboxPartition} and DueAt le {now}"), cancellationToken: cancellationToken))
        {
            if (WriteBackKey.TryParse(row.RowKey, out var key))
                due.Add(new OutboxEntry(key, row.GetString("RequestId") ?? "", row.GetInt32("Deliveries") ?? 0, row.ETag) { DecisionId = row.GetString("DecisionId") });
        }
        return [.. due.OrderBy(e => e.Deliveries).Take(max)];
    }

    /// <summary>
    /// Takes a due row for one delivery by moving its due time past <paramref name="lease"/>, if nobody changed it since
    /// it was listed; null when another delivery took it or a decision rescheduled it (it is listed again then).
    /// </summary>
    internal async Task<OutboxEntry?> ClaimAsync(OutboxEntry entry, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var client = await table!.GetAsync(cancellationToken);
        try
        {
            var claimed = entry with { Deliveries = entry.Deliveries + 1 };
            var response = await client.UpdateEntityAsync(new TableEntity(OutboxPartition, entry.Key.Value)
            {
                ["DueAt"] = time.GetUtcNow() + lease,
                ["Deliveries"] = claimed.Deliveries,
            }, entry.ETag, TableUpdateMode.Merge, cancellationToken);
            return claimed with { ETag = response.Headers.ETag ?? entry.ETag };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Removes a delivered row unless a decision rescheduled it meanwhile; false when it stays (due again).</summary>
    internal async Task<bool> RemoveAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var client = await table!.GetAsync(cancellationToken);
        try
        {
            await client.DeleteEntityAsync(OutboxPartition, entry.Key.Value, entry.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return ex.Status == 404;
        }
    }

    /// <summary>Due again at <paramref name="dueAt"/> after a delivery left a channel failed.</summary>
    internal async Task RescheduleAsync(OutboxEntry entry, DateTimeOffset dueAt, string problem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var client = await table!.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(new TableEntity(OutboxPartition, entry.Key.Value)
            {
                ["DueAt"] = dueAt,
                ["Problem"] = Cap(problem),
            }, entry.ETag, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Rescheduled by a new decision meanwhile: it is due now anyway.
        }
    }

    private TableEntity RequestEntity(WriteBackKey key, string requestId, SourceReference? source) =>
        new(PartitionKey(key), RequestRow)
        {
            // The dispatcher passes the first request ID it found here, so this column keeps the first one.
            ["RequestId"] = requestId,
            ["SourceKind"] = source?.Kind,
            ["SourceId"] = Cap(source?.Id),
            ["SourceResourceId"] = Cap(source?.ResourceId),
            ["Source"] = source is null ? null : Cap(JsonSerializer.Serialize(source, WriteBackJsonContext.Default.SourceReference)),
            ["UpdatedAt"] = time.GetUtcNow(),
        };

    private static TableEntity ToRow(WriteBackKey key, OutcomeLine line, DateTimeOffset now) =>
         new TableEntity(PartitionKey(key), LineRow(line.Key))
        {
            ["TargetKey"] = Cap(line.Key),
            ["Given"] = Cap(line.Given),
            ["UserId"] = line.UserId,
            ["UserPrincipalName"] = line.UserPrincipalName,
            ["Outcome"] = line.Outcome.ToString(),
            ["ReasonCode"] = line.Reason?.ToString(),
            ["Detail"] = Cap(line.Detail),
            ["State"] = line.State.ToString(),
            ["DeadLetterReason"] = line.DeadLetterReason?.ToString(),
            ["Protected"] = line.IsProtected,
            ["Position"] = line.Position,
            // Whether a proof is due; the proof itself (Verification, SessionsValidFrom) is written only by the
            // verification, so a decision recorded late never overwrites it.
            ["VerificationDue"] = line.Verification is not null,
            ["UpdatedAt"] = now,
        };

    private static RecordedLine? ReadLine(TableEntity row)
    {
        if (row.GetString("TargetKey") is not { Length: > 0 } targetKey
            || !Enum.TryParse<Outcome>(row.GetString("Outcome"), out var outcome)
            || !Enum.TryParse<OutcomeState>(row.GetString("State"), out var state))
        {
            return null;
        }
        var line = new OutcomeLine(targetKey, row.GetString("Given") ?? targetKey, outcome, state)
        {
            UserId = row.GetString("UserId"),
            UserPrincipalName = row.GetString("UserPrincipalName"),
            Reason = Enum.TryParse<ReasonCode>(row.GetString("ReasonCode"), out var reason) ? reason : null,
            Detail = row.GetString("Detail"),
            DeadLetterReason = Enum.TryParse<ReasonCode>(row.GetString("DeadLetterReason"), out var dead) ? dead : null,
            IsProtected = row.GetBoolean("Protected") ?? false,
            Position = row.GetInt32("Position") ?? 0,
            Verification = Enum.TryParse<VerificationState>(row.GetString("Verification"), out var proof) ? proof
                : row.GetBoolean("VerificationDue") == true ? VerificationState.Pending : null,
            SessionsValidFrom = row.GetDateTimeOffset("SessionsValidFrom"),
        };
        var notified = (row.GetString("Notified") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => Enum.TryParse<WebhookEvent>(name, out var e) ? e : (WebhookEvent?)null)
            .OfType<WebhookEvent>()
            .ToHashSet();
        var mail = Enum.TryParse<ManagerMailResult>(row.GetString("ManagerMail"), out var m) ? m : (ManagerMailResult?)null;
        return new RecordedLine(line, notified, mail);
    }

    private static ChannelRecord? ReadChannel(TableEntity row, WriteBackChannel channel) =>
        Enum.TryParse<ChannelStatus>(row.GetString($"{channel}Status"), out var status)
            ? new ChannelRecord(status, row.GetString($"{channel}Digest"), row.GetInt32($"{channel}Attempts") ?? 0,
                row.GetString($"{channel}Problem"), row.GetDateTimeOffset($"{channel}At") ?? default)
            : null;

    /// <summary>Target keys may hold characters Table storage refuses in keys: rows are named by a hash of them.</summary>
    private static string LineRow(string targetKey) =>
        "t-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(targetKey)).AsSpan(0, 16));

    /// <summary>
    /// One write within the ledger's operation timeout, on its own clock rather than the caller's: what the write-back
    /// did is recorded even when its time budget ran out doing it.
    /// </summary>
    private async Task<bool> RunAsync(string step, WriteBackKey key, Func<TableClient, CancellationToken, Task> write)
    {
        if (table is null)
            return false;
        using var timeout = new CancellationTokenSource(ledger.Value.OperationTimeout);
        try
        {
            var client = await table.GetAsync(timeout.Token);
            await write(client, timeout.Token);
            return true;
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            LogUnavailable(logger, step, key.Value, Describe(ex));
            return false;
        }
    }



    // Exhausted retries come as an AggregateException; a cancelled read (the budget ran out) counts as unavailable too.
    private static bool IsStoreFailure(Exception ex) => ex is OperationCanceledException || DependencyFailure.IsStorageFailure(ex);

    private static string Describe(Exception ex) => ex switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}".TrimEnd(),
        OperationCanceledException => "no answer in time",
        _ => DependencyFailure.Describe(ex),
    };

    private static T? Read<T>(string? json, JsonTypeInfo<T> type) where T : class
    {
        if (json is not { Length: > 0 })
            return null;
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Cap(string? value) => value is { Length: > MaxText } ? value[..MaxText] + "…" : value;

    [LoggerMessage(EventId = 820, Level = LogLevel.Warning,
        Message = "Write-back record unavailable at step {WriteBackStep} for key {WriteBackKey}: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string writeBackStep, string writeBackKey, string problem);
}
