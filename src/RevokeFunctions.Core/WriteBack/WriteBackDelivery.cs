using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Sends what the outbox holds, in an invocation of its own (the delivery timer): for each due request it takes the
/// outbox row, reads the record, runs every channel side by side, saves what was sent and removes the row. A channel
/// that fails leaves the row due again after a back-off (or the wait the other side asked for), so it is retried
/// without holding up the others; the record makes every channel post at most once per request, however often the
/// row is delivered. After <see cref="WriteBackOptions.MaxDeliveries"/> the row is dropped and the failure stays in
/// the record and the log.
/// </summary>
public sealed partial class WriteBackDelivery
{
    /// <summary>Requests delivered at once.</summary>
    private const int Concurrency = 4;

    /// <summary>Requests taken per run; the rest wait for the next run.</summary>
    private const int MaxPerRun = 200;

    /// <summary>How long a taken row is not taken again: longer than any one delivery can last.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>How long a row waits for the record of its decision.</summary>
    private static readonly TimeSpan RecordWait = TimeSpan.FromSeconds(5);

    private readonly IOptions<WriteBackOptions> options;
    private readonly IOptions<NotificationOptions> notifications;
    private readonly IReadOnlyList<IWriteBackChannel> channels;
    private readonly WriteBackRecord record;
    private readonly TimeProvider time;
    private readonly ILogger<WriteBackDelivery> logger;

    internal WriteBackDelivery(IOptions<WriteBackOptions> options, IOptions<NotificationOptions> notifications,
        IEnumerable<IWriteBackChannel> channels, WriteBackRecord record, TimeProvider time, ILogger<WriteBackDelivery> logger)
    {
        this.options = options;
        this.notifications = notifications;
        this.channels = [.. channels];
        this.record = record;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Delivers every request due now. Never throws for a delivery's failure; returns what each did.</summary>
    public async Task<IReadOnlyList<WriteBackReport>> DeliverDueAsync(CancellationToken cancellationToken)
    {
        // Nothing on, nothing recorded: the outbox is not even read.
        if (!options.Value.AnyEnabled && !notifications.Value.AnyEnabled)
            return [];
        IReadOnlyList<OutboxEntry> due;
        try
        {
            due = await record.ListDueAsync(MaxPerRun, cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or AggregateException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogOutboxUnavailable(logger, ex.GetType().Name);
            return [];
        }

        var reports = new System.Collections.Concurrent.ConcurrentBag<WriteBackReport>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, parallel, async (entry, ct) =>
        {
            if (await DeliverOneAsync(entry, ct) is { } report)
                reports.Add(report);
        });
        return [.. reports];
    }

    private async Task<WriteBackReport?> DeliverOneAsync(OutboxEntry listed, CancellationToken cancellationToken)
    {
        try
        {
            if (await record.ClaimAsync(listed, Lease, cancellationToken) is not { } entry)
                return null;
            var state = await record.LoadAsync(entry.Key, cancellationToken);
            if (!state.Available || (entry.DecisionId is { } expected && state.DecisionId != expected))
            {
                // Unreadable, or the decision the row names is not in the record yet (written side by side with the row):
                // try again shortly; a decision whose record was never written ends with the row after MaxDeliveries.
                if (entry.Deliveries >= options.Value.MaxDeliveries)
                    await record.RemoveAsync(entry, cancellationToken);
                else
                    await record.RescheduleAsync(entry, time.GetUtcNow() + RecordWait, "the record does not show the decision yet", cancellationToken);
                return null;
            }

            var run = new DeliveryRun(entry.Key, state, entry.Deliveries, record, time);
            var outcomes = await Task.WhenAll(channels.Select(c => c.DeliverAsync(run, cancellationToken)));
            await record.SaveSentAsync(entry.Key, [.. run.Lines.Values.Where(l => !state.Lines.TryGetValue(l.Line.Key, out var before) || Sent(before) != Sent(l))]);

            foreach (var outcome in outcomes.Where(o => o.Status != ChannelStatus.NotApplicable))
            {
                if (outcome.Status == ChannelStatus.Failed)
                    LogChannelFailed(logger, outcome.Channel, run.RequestId, entry.Deliveries, outcome.Problem ?? "unknown", entry.Key.Value);
                else
                    LogChannel(logger, outcome.Channel, run.RequestId, outcome.Status, entry.Key.Value);
            }

            var failed = outcomes.Where(o => o.Status == ChannelStatus.Failed).ToList();
            if (failed.Count > 0 && entry.Deliveries < options.Value.MaxDeliveries)
            {
                // The longest wait any failed channel was asked for, if longer than the back-off.
                var wait = failed.Select(o => o.RetryAfter ?? TimeSpan.Zero).Append(Backoff(entry.Deliveries)).Max();
                await record.RescheduleAsync(entry, time.GetUtcNow() + wait, string.Join("; ", failed.Select(o => $"{o.Channel}: {o.Problem}")),
                    cancellationToken);
                LogRetryScheduled(logger, run.RequestId, entry.Deliveries, wait, entry.Key.Value);
            }
            else
            {
                if (failed.Count > 0)
                    LogGaveUp(logger, run.RequestId, entry.Deliveries, entry.Key.Value);
                if (await record.RemoveAsync(entry, cancellationToken) && state.DecisionId is { } decision)
                    await record.MarkDeliveredAsync(entry.Key, decision);
            }
            return new WriteBackReport(entry.Key.Value, outcomes);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            // The row stays taken until its lease ends, then is delivered again.
            LogDeliveryFailed(logger, ex, listed.RequestId, listed.Key.Value);
            return null;
        }
    }

    /// <summary>The delivery back-off: <see cref="WriteBackOptions.DeliveryRetryDelay"/>, doubling per delivery, at most an hour.</summary>
    private TimeSpan Backoff(int deliveries)
    {
        var delay = options.Value.DeliveryRetryDelay * Math.Pow(2, Math.Min(Math.Max(deliveries - 1, 0), 10));
        return delay > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : delay;
    }

    private static (string, ManagerMailResult?) Sent(RecordedLine line) => (string.Join(' ', line.NotifiedEvents.Order()), line.ManagerMail);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information,
        Message = "Write-back {Channel} for request {RequestId}: {Status} (record key {WriteBackKey})")]
    private static partial void LogChannel(ILogger logger, WriteBackChannel channel, string requestId, ChannelStatus status, string writeBackKey);

    [LoggerMessage(EventId = 802, Level = LogLevel.Error,
        Message = "Write-back {Channel} for request {RequestId} failed in delivery {Attempts}: {Problem}. The revocation stands; "
            + "the failure is recorded under key {WriteBackKey}")]
    private static partial void LogChannelFailed(ILogger logger, WriteBackChannel channel, string requestId, int attempts, string problem, string writeBackKey);

    [LoggerMessage(EventId = 805, Level = LogLevel.Error,
        Message = "Write-back delivery for request {RequestId} failed unexpectedly (record key {WriteBackKey}); it is tried again")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string requestId, string writeBackKey);

    [LoggerMessage(EventId = 810, Level = LogLevel.Warning,
        Message = "Write-back for request {RequestId}: delivery {Attempts} left a channel failed; next try in {Wait} (record key {WriteBackKey})")]
    private static partial void LogRetryScheduled(ILogger logger, string requestId, int attempts, TimeSpan wait, string writeBackKey);

    [LoggerMessage(EventId = 811, Level = LogLevel.Error,
        Message = "Write-back for request {RequestId} given up after {Attempts} deliveries; the failures are in the record under key {WriteBackKey}")]
    private static partial void LogGaveUp(ILogger logger, string requestId, int attempts, string writeBackKey);

    [LoggerMessage(EventId = 812, Level = LogLevel.Warning, Message = "Write-back outbox unavailable ({Problem}): nothing delivered this run")]
    private static partial void LogOutboxUnavailable(ILogger logger, string problem);
}
