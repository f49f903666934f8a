using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// What the write-back did for each request, in the ledger's table under partitions of its own (<c>w-&lt;key&gt;</c>,
/// beside the ledger's <c>s-</c> and <c>r-</c>), so the ledger's retention purge removes them with everything else:
/// a <c>request</c> row with each channel's status, digest and last problem, and one <c>t-…</c> row per target with
/// its latest line and what has been sent about it. Failures to read or write it are logged, never thrown.
/// </summary>
internal sealed partial class WriteBackRecord(
    TableServiceClient? tables,
    IOptions<LedgerOptions> ledger,
    TimeProvider time,
    ILogger<WriteBackRecord> logger)
{
    public const string PartitionPrefix = "w-";
    public const string RequestRow = "request";
    private const int MaxBatch = 100;
    private const int MaxText = 4000;

    private readonly TableOnFirstUse? table =
        tables is null ? null : new TableOnFirstUse(tables, ledger.Value.TableName, ledger.Value.OperationTimeout);

    public static string PartitionKey(WriteBackKey key) => PartitionPrefix + key.Value;

    public async Task<WriteBackState> LoadAsync(WriteBackKey key, CancellationToken cancellationToken)
    {
        if (table is null)
            return WriteBackState.Unavailable;
        try
        {
            var client = await table.GetAsync(cancellationToken);
            var lines = new Dictionary<string, RecordedLine>(StringComparer.Ordinal);
            var channels = new Dictionary<WriteBackChannel, ChannelRecord>();
            var refusalNotified = false;
            string? requestId = null;
            var partition = PartitionKey(key);
            await foreach (var row in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
                cancellationToken: cancellationToken))
            {
                if (row.RowKey == RequestRow)
                {
                    refusalNotified = row.GetBoolean("RefusalNotified") ?? false;
                    requestId = row.GetString("RequestId");
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
            return new WriteBackState(true, requestId, lines, channels, refusalNotified);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            LogUnavailable(logger, "read", key.Value, Describe(ex));
            return WriteBackState.Unavailable;
        }
    }

    public Task<bool> SaveLinesAsync(WriteBackKey key, IReadOnlyCollection<RecordedLine> lines)
    {
        if (lines.Count == 0)
            return Task.FromResult(true);
        return RunAsync("lines", key, async (client, ct) =>
        {
            var now = time.GetUtcNow();
            foreach (var chunk in lines.Select(l => ToRow(key, l, now)).Chunk(MaxBatch))
                await client.SubmitTransactionAsync(chunk.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertMerge, row)), ct);
        });
    }

    public Task<bool> SaveChannelAsync(WriteBackKey key, string requestId, SourceReference? source, WriteBackChannel channel, ChannelRecord record) =>
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

    public Task<bool> SaveRefusalNotifiedAsync(WriteBackKey key, string requestId, SourceReference? source) =>
        RunAsync("refusal", key, (client, ct) =>
        {
            var row = RequestEntity(key, requestId, source);
            row["RefusalNotified"] = true;
            return client.UpsertEntityAsync(row, TableUpdateMode.Merge, ct);
        });

    private TableEntity RequestEntity(WriteBackKey key, string requestId, SourceReference? source) =>
        new(PartitionKey(key), RequestRow)
        {
            // The dispatcher passes the first request ID it found here, so this column keeps the first one.
            ["RequestId"] = requestId,
            ["SourceKind"] = source?.Kind,
            ["SourceId"] = Cap(source?.Id),
            ["SourceResourceId"] = Cap(source?.ResourceId),
            ["UpdatedAt"] = time.GetUtcNow(),
        };

    private static TableEntity ToRow(WriteBackKey key, RecordedLine recorded, DateTimeOffset now)
    {
        var line = recorded.Line;
        return new TableEntity(PartitionKey(key), LineRow(line.Key))
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
            ["Notified"] = string.Join(' ', recorded.NotifiedEvents.Order()),
            ["ManagerMail"] = recorded.ManagerMail?.ToString(),
            ["UpdatedAt"] = now,
        };
    }

    private static RecordedLine? ReadLine(TableEntity row)
    {
        if (row.GetString("TargetKey") is not { Length: > 0 } targetKey
            || !Enum.TryParse<Outcome>(row.GetString("Outcome"), out var outcome)
            || !Enum.TryParse<FateState>(row.GetString("State"), out var state))
        {
            return null;
        }
        var line = new FateLine(targetKey, row.GetString("Given") ?? targetKey, outcome, state)
        {
            UserId = row.GetString("UserId"),
            UserPrincipalName = row.GetString("UserPrincipalName"),
            Reason = Enum.TryParse<ReasonCode>(row.GetString("ReasonCode"), out var reason) ? reason : null,
            Detail = row.GetString("Detail"),
            DeadLetterReason = Enum.TryParse<ReasonCode>(row.GetString("DeadLetterReason"), out var dead) ? dead : null,
            IsProtected = row.GetBoolean("Protected") ?? false,
            Position = row.GetInt32("Position") ?? 0,
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

    private static string? Cap(string? value) => value is { Length: > MaxText } ? value[..MaxText] + "…" : value;

    [LoggerMessage(EventId = 820, Level = LogLevel.Warning,
        Message = "Write-back record unavailable at step {WriteBackStep} for key {WriteBackKey}: {Problem}")]
    private static partial void LogUnavailable(ILogger logger, string writeBackStep, string writeBackKey, string problem);
}
