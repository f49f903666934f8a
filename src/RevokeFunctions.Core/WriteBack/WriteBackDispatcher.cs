using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// One dispatch per decided request: merge this attempt's lines into the record of the request (so a comment written by
/// a later retry still lists the targets finished earlier), then run every channel that is on, side by side, each with
/// bounded retries. Idempotency comes from the record and from deterministic IDs: the Sentinel comment is PUT under an ID
/// derived from the request's idempotency key and skipped when its text is unchanged; the Defender comment, webhook
/// events and manager emails are sent only when the record does not show them sent.
/// </summary>
internal sealed partial class WriteBackDispatcher(
    IOptions<WriteBackOptions> options,
    IOptions<NotificationOptions> notifications,
    ISentinelIncidentComments sentinel,
    IDefenderAlertComments defender,
    IWebhookNotifier webhook,
    IManagerMailer mailer,
    WriteBackRecord record,
    WriteBackCall call,
    TimeProvider time,
    ILogger<WriteBackDispatcher> logger) : IWriteBackDispatcher
{
    /// <summary>Managers emailed at once for one request.</summary>
    private const int MailConcurrency = 4;

    public async Task<WriteBackReport> DispatchAsync(RequestFate fate, TimeSpan budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fate);
        if (!options.Value.AnyEnabled && !notifications.Value.AnyEnabled)
            return WriteBackReport.Nothing;
        if (fate.Context.DryRun || fate.Result.Targets.Any(t => t.Outcome == Outcome.WouldRevoke))
        {
            LogDryRun(logger, fate.Context.RequestId);
            return WriteBackReport.Nothing;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        WriteBackKey? key = null;
        try
        {
            key = WriteBackKey.For(fate.Context, fate.Source, fate.Result.Targets.Select(t => t.Target).OfType<RequestedTarget>());
            var state = await record.LoadAsync(key, deadline.Token);
            if (!state.Available)
                LogRecordUnavailable(logger, fate.Context.RequestId, key.Value);
            var run = new Dispatch(fate, key, state, Merge(state, FateLine.From(fate)));

            var outcomes = await Task.WhenAll(
                SentinelAsync(run, deadline.Token),
                DefenderAsync(run, deadline.Token),
                WebhookAsync(run, deadline.Token),
                ManagerEmailAsync(run, deadline.Token));

            await record.SaveLinesAsync(key, [.. run.Lines.Values.Where(l => !state.Lines.TryGetValue(l.Line.Key, out var before) || before != l)]);
            foreach (var outcome in outcomes.Where(o => o.Status != ChannelStatus.NotApplicable))
            {
                if (outcome.Status == ChannelStatus.Failed)
                    LogChannelFailed(logger, outcome.Channel, fate.Context.RequestId, outcome.Attempts, outcome.Problem ?? "unknown", key.Value);
                else
                    LogChannel(logger, outcome.Channel, fate.Context.RequestId, outcome.Status, key.Value);
            }
            return new WriteBackReport(key.Value, outcomes);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            // A defect here must not reach the trigger: the revocation is decided and its answer must not change.
            LogDispatchFailed(logger, ex, fate.Context.RequestId, key?.Value);
            return new WriteBackReport(key?.Value, []);
        }
        catch (OperationCanceledException)
        {
            return new WriteBackReport(key?.Value, []);
        }
    }

    /// <summary>
    /// The record's lines updated with this attempt's. A replayed outcome (read back from the ledger) adds nothing to a
    /// final line already recorded, so a retried request reads exactly as the first did. Positions stay those of the
    /// first attempt, which saw the whole payload.
    /// </summary>
    private static ConcurrentDictionary<string, RecordedLine> Merge(WriteBackState state, IReadOnlyList<FateLine> lines)
    {
        var merged = new ConcurrentDictionary<string, RecordedLine>(state.Lines, StringComparer.Ordinal);
        var next = merged.IsEmpty ? 0 : merged.Values.Max(l => l.Line.Position);
        foreach (var line in lines)
        {
            if (merged.TryGetValue(line.Key, out var existing))
            {
                if (line.Replayed && existing.Line.State == FateState.Final)
                    continue;
                merged[line.Key] = existing with { Line = line with { Position = existing.Line.Position, IsProtected = line.IsProtected || existing.Line.IsProtected } };
            }
            else
            {
                merged[line.Key] = new RecordedLine(line with { Position = state.Lines.Count == 0 ? line.Position : ++next },
                    new HashSet<WebhookEvent>(), null);
            }
        }
        return merged;
    }

    private async Task<ChannelOutcome> SentinelAsync(Dispatch run, CancellationToken cancellationToken)
    {
        const WriteBackChannel Channel = WriteBackChannel.SentinelComment;
        var source = run.Fate.Source;
        if (!options.Value.SentinelComments || source?.Kind != SentinelIncidentFormat.FormatKind)
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);
        if (!SentinelIncidentId.TryParse(source.ResourceId, out var incident))
        {
            LogNoIncidentId(logger, run.Fate.Context.RequestId);
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);
        }

        var html = run.Summary().ToHtml();
        return await PostOnceAsync(run, Channel, html, ct => sentinel.PutAsync(incident, run.Key.SentinelCommentId, html, ct), cancellationToken);
    }

    private async Task<ChannelOutcome> DefenderAsync(Dispatch run, CancellationToken cancellationToken)
    {
        const WriteBackChannel Channel = WriteBackChannel.DefenderComment;
        var source = run.Fate.Source;
        if (!options.Value.DefenderComments || source?.Kind != DefenderAlertFormat.FormatKind || !GraphDefenderAlertComments.IsAlertId(source.Id))
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);
        // Alert comments cannot be edited: the one comment waits until no target is pending.
        var summary = run.Summary();
        if (!summary.IsFinal)
            return new ChannelOutcome(Channel, ChannelStatus.Waiting);
        var text = summary.ToText();
        return await PostOnceAsync(run, Channel, text, ct => defender.AddAsync(source.Id!, text, ct), cancellationToken);
    }

    /// <summary>Posts unless the record shows exactly this text posted already; records the result either way.</summary>
    private async Task<ChannelOutcome> PostOnceAsync(Dispatch run, WriteBackChannel channel, string text, Func<CancellationToken, Task> post,
        CancellationToken cancellationToken)
    {
        var digest = Digest(text);
        var previous = run.State.Channels.GetValueOrDefault(channel);
        if (previous is { Status: ChannelStatus.Done or ChannelStatus.AlreadyDone } && previous.Digest == digest)
            return new ChannelOutcome(channel, ChannelStatus.AlreadyDone);

        var result = await call.RunAsync(post, cancellationToken);
        var status = result.Succeeded ? ChannelStatus.Done : ChannelStatus.Failed;
        // A failure keeps the digest of what was last posted, so the next attempt still knows what is there.
        await record.SaveChannelAsync(run.Key, run.RequestId, run.Fate.Source, channel,
            new ChannelRecord(status, result.Succeeded ? digest : previous?.Digest, result.Attempts, result.Problem, time.GetUtcNow()));
        return new ChannelOutcome(channel, status, result.Attempts, result.Problem);
    }

    private async Task<ChannelOutcome> WebhookAsync(Dispatch run, CancellationToken cancellationToken)
    {
        const WriteBackChannel Channel = WriteBackChannel.Webhook;
        if (!notifications.Value.Webhook.Enabled)
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);

        var fate = run.Fate;
        var lines = run.Lines.Values.OrderBy(l => l.Line.Position).ToList();
        var due = new List<(WebhookEvent Event, List<RecordedLine> Lines, string? Reason, string? Detail)>();
        var anyNotable = false;

        void Collect(WebhookEvent kind, Func<FateLine, bool> concerns, Func<List<RecordedLine>, (string? Reason, string? Detail)> describe)
        {
            var concerned = lines.Where(l => concerns(l.Line)).ToList();
            anyNotable |= concerned.Count > 0;
            var unsent = concerned.Where(l => !l.NotifiedEvents.Contains(kind)).ToList();
            if (unsent.Count > 0)
            {
                var (reason, detail) = describe(unsent);
                due.Add((kind, unsent, reason, detail));
            }
        }

        Collect(WebhookEvent.ProtectedAccountRevoked,
            l => l is { Outcome: Outcome.Revoked, State: FateState.Final, IsProtected: true },
            _ => (null, null));
        Collect(WebhookEvent.StormGuardRefused,
            l => l.Reason == ReasonCode.StormGuard && l.State != FateState.Pending,
            found => (nameof(ReasonCode.StormGuard), found[0].Line.Detail));
        Collect(WebhookEvent.DeadLettered,
            l => l.State == FateState.DeadLettered && l.DeadLetterReason != ReasonCode.StormGuard,
            found => (found[0].Line.DeadLetterReason?.ToString(), fate.DeadLetter?.Description ?? found[0].Line.Detail));

        // A message dead-lettered as a whole (a refused payload, attempts exhausted) names no target line.
        var wholeRefusal = fate.DeadLetter is not null && !run.Lines.Values.Any(l => l.Line.State == FateState.DeadLettered);
        anyNotable |= wholeRefusal;
        var refusalDue = wholeRefusal && !run.State.RefusalNotified;
        if (due.Count == 0 && !refusalDue)
            return new ChannelOutcome(Channel, anyNotable ? ChannelStatus.AlreadyDone : ChannelStatus.NotApplicable);

        var attempts = 0;
        string? problem = null;
        foreach (var (kind, concerned, reason, detail) in due)
        {
            var notification = new WebhookNotification(kind, run.RequestId, fate.Source, [.. concerned.Select(l => l.Line)], reason, detail);
            var result = await call.RunAsync(ct => webhook.PostAsync(notification, ct), cancellationToken);
            attempts += result.Attempts;
            if (!result.Succeeded)
            {
                problem ??= result.Problem;
                continue;
            }
            foreach (var line in concerned)
            {
                run.Lines.AddOrUpdate(line.Line.Key, line,
                    (_, current) => current with { NotifiedEvents = new HashSet<WebhookEvent>(current.NotifiedEvents) { kind } });
            }
        }
        if (refusalDue)
        {
            var dead = fate.DeadLetter!;
            var notification = new WebhookNotification(WebhookEvent.DeadLettered, run.RequestId, fate.Source, [], dead.Reason.ToString(), dead.Description);
            var result = await call.RunAsync(ct => webhook.PostAsync(notification, ct), cancellationToken);
            attempts += result.Attempts;
            if (result.Succeeded)
                await record.SaveRefusalNotifiedAsync(run.Key, run.RequestId, fate.Source);
            else
                problem ??= result.Problem;
        }

        var status = problem is null ? ChannelStatus.Done : ChannelStatus.Failed;
        await record.SaveChannelAsync(run.Key, run.RequestId, fate.Source, Channel, new ChannelRecord(status, null, attempts, problem, time.GetUtcNow()));
        return new ChannelOutcome(Channel, status, attempts, problem);
    }

    private async Task<ChannelOutcome> ManagerEmailAsync(Dispatch run, CancellationToken cancellationToken)
    {
        const WriteBackChannel Channel = WriteBackChannel.ManagerEmail;
        if (!notifications.Value.ManagerEmail.Enabled)
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);

        var revoked = run.Lines.Values
            .Where(l => l.Line is { Outcome: Outcome.Revoked, State: FateState.Final, UserId: not null })
            .OrderBy(l => l.Line.Position)
            .ToList();
        var due = revoked.Where(l => l.ManagerMail is null).ToList();
        if (due.Count == 0)
            return new ChannelOutcome(Channel, revoked.Count > 0 ? ChannelStatus.AlreadyDone : ChannelStatus.NotApplicable);

        var attempts = 0;
        string? problem = null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MailConcurrency };
        await Parallel.ForEachAsync(due, parallel, async (line, _) =>
        {
            var mail = new ManagerMail(line.Line.UserId!, line.Line.Name, run.RequestId, run.Fate.Source);
            var sent = ManagerMailResult.Sent;
            var result = await call.RunAsync(async ct => sent = await mailer.SendAsync(mail, ct), cancellationToken);
            Interlocked.Add(ref attempts, result.Attempts);
            if (result.Succeeded)
                run.Lines.AddOrUpdate(line.Line.Key, line, (_, current) => current with { ManagerMail = sent });
            else
                Interlocked.CompareExchange(ref problem, result.Problem, null);
        });

        var status = problem is null ? ChannelStatus.Done : ChannelStatus.Failed;
        await record.SaveChannelAsync(run.Key, run.RequestId, run.Fate.Source, Channel, new ChannelRecord(status, null, attempts, problem, time.GetUtcNow()));
        return new ChannelOutcome(Channel, status, attempts, problem);
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));

    /// <summary>One dispatch's working set.</summary>
    private sealed class Dispatch(RequestFate fate, WriteBackKey key, WriteBackState state, ConcurrentDictionary<string, RecordedLine> lines)
    {
        public RequestFate Fate { get; } = fate;

        public WriteBackKey Key { get; } = key;

        public WriteBackState State { get; } = state;

        public ConcurrentDictionary<string, RecordedLine> Lines { get; } = lines;

        /// <summary>The first request recorded under the key, so a retried request's comment reads exactly like the first's.</summary>
        public string RequestId { get; } = state.RequestId ?? fate.Context.RequestId;

        public OutcomeSummary Summary() =>
            new(RequestId, Fate.Source, Fate.Result.Error, [.. Lines.Values.Select(l => l.Line).OrderBy(l => l.Position)]);
    }

    [LoggerMessage(EventId = 801, Level = LogLevel.Information,
        Message = "Write-back {Channel} for request {RequestId}: {Status} (record key {WriteBackKey})")]
    private static partial void LogChannel(ILogger logger, WriteBackChannel channel, string requestId, ChannelStatus status, string writeBackKey);

    [LoggerMessage(EventId = 802, Level = LogLevel.Error,
        Message = "Write-back {Channel} for request {RequestId} failed after {Attempts} attempt(s): {Problem}. The revocation stands; "
            + "the failure is recorded under key {WriteBackKey}")]
    private static partial void LogChannelFailed(ILogger logger, WriteBackChannel channel, string requestId, int attempts, string problem, string writeBackKey);

    [LoggerMessage(EventId = 803, Level = LogLevel.Error,
        Message = "Write-back for request {RequestId} failed unexpectedly (record key {WriteBackKey}); the revocation stands")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception, string requestId, string? writeBackKey);

    [LoggerMessage(EventId = 804, Level = LogLevel.Warning,
        Message = "Request {RequestId} comes from a Sentinel incident without a valid incident resource ID (id): no comment is written")]
    private static partial void LogNoIncidentId(ILogger logger, string requestId);

    [LoggerMessage(EventId = 805, Level = LogLevel.Warning,
        Message = "Write-back record unavailable for request {RequestId} (key {WriteBackKey}): what was sent before is unknown, "
            + "so a notification may be repeated")]
    private static partial void LogRecordUnavailable(ILogger logger, string requestId, string writeBackKey);

    [LoggerMessage(EventId = 806, Level = LogLevel.Debug, Message = "Request {RequestId} is a dry run: nothing is written back")]
    private static partial void LogDryRun(ILogger logger, string requestId);
}
