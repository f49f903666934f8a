using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The write-back's side of deciding a request: in the same step that settles it, what is to be told (this attempt's
/// lines merged into the request's record) is written to Table storage and the request is put in the outbox. Nothing is
/// sent here, so the answer and the settlement wait for two Table storage writes, never for a source or a webhook;
/// <see cref="WriteBackDelivery"/> sends it in an invocation of its own. A redelivered message or a repeated request that
/// decides nothing new records nothing and schedules no second delivery.
/// </summary>
public partial class WriteBackOutbox(
    IOptions<WriteBackOptions> options,
    IOptions<NotificationOptions> notifications,
    WriteBackRecord record,
    ILogger<WriteBackOutbox> logger)
{
    /// <summary>
    /// Records the decided request for delivery. Never throws and never changes the revocation: a record that cannot be
    /// written is logged (the revocation stands; a later attempt of the request records it again).
    /// </summary>
    /// <returns>The request's write-back key when a delivery is due, else null (nothing on, a dry run, nothing new, or the store down).</returns>
    public virtual async Task<WriteBackKey?> RecordAsync(RequestOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!options.Value.AnyEnabled && !notifications.Value.AnyEnabled)
            return null;
        if (outcome.Context.DryRun || outcome.Result.Targets.Any(t => t.Outcome == Outcome.WouldRevoke))
        {
            LogDryRun(logger, outcome.Context.RequestId);
            return null;
        }

        WriteBackKey? key = null;
        try
        {
            key = WriteBackKey.For(outcome.Context, outcome.Source, outcome.Result.Targets.Select(t => t.Target).OfType<RequestedTarget>());
            // Recorded even when the caller gave up: the decision stands and must be told.
            var state = await record.LoadAsync(key, CancellationToken.None);
            if (!state.Available)
            {
                LogNotRecorded(logger, outcome.Context.RequestId, key.Value);
                return null;
            }
            var merged = Merge(state, OutcomeLine.From(outcome));
            var changed = merged.Values
                .Where(l => !state.Lines.TryGetValue(l.Line.Key, out var before) || before.Line != l.Line)
                .Select(l => l.Line)
                .ToList();
            var news = changed.Count > 0
                || state.Undelivered
                || state.RequestId is null
                || (outcome.Result.Error is not null && state.Error is null)
                || (outcome.DeadLetter is { } dead && state.DeadLetter?.Reason != dead.Reason);
            if (!news)
            {
                LogNothingNew(logger, outcome.Context.RequestId, key.Value);
                return null;
            }
            // The record and the outbox row side by side, both naming this decision: a delivery that finds the row before
            // the record shows the decision waits for it rather than telling an older state.
            var decisionId = Guid.NewGuid().ToString("N");
            var written = await Task.WhenAll(
                record.SaveDecisionAsync(key, state, outcome, decisionId, changed),
                record.ScheduleAsync(key, state.RequestId ?? outcome.Context.RequestId, decisionId));
            if (!written[0] || !written[1])
            {
                LogNotRecorded(logger, outcome.Context.RequestId, key.Value);
                return null;
            }
            LogRecorded(logger, outcome.Context.RequestId, key.Value, changed.Count);
            return key;
        }
        catch (Exception ex)
        {
            // A defect here must not reach the trigger: the revocation is decided and its answer must not change.
            LogRecordFailed(logger, ex, outcome.Context.RequestId, key?.Value);
            return null;
        }
    }

    /// <summary>
    /// The record's lines updated with this attempt's. A replayed outcome (read back from the ledger) adds nothing to a
    /// final line already recorded, so a retried request reads exactly as the first did. Positions stay those of the
    /// first attempt, which saw the whole payload.
    /// </summary>
    private static ConcurrentDictionary<string, RecordedLine> Merge(WriteBackState state, IReadOnlyList<OutcomeLine> lines)
    {
        var merged = new ConcurrentDictionary<string, RecordedLine>(state.Lines, StringComparer.Ordinal);
        var next = merged.IsEmpty ? 0 : merged.Values.Max(l => l.Line.Position);
        foreach (var line in lines)
        {
            if (merged.TryGetValue(line.Key, out var existing))
            {
                if (line.Replayed && existing.Line.State == OutcomeState.Final)
                    continue;
                merged[line.Key] = existing with
                {
                    // The proof is the verification's to write: a later attempt's line keeps what it recorded.
                    Line = line with
                    {
                        Position = existing.Line.Position,
                        IsProtected = line.IsProtected || existing.Line.IsProtected,
                        Replayed = false,
                        Verification = existing.Line.Verification is { } proof && proof != VerificationState.Pending ? proof : line.Verification,
                        SessionsValidFrom = existing.Line.SessionsValidFrom ?? line.SessionsValidFrom,
                    },
                };
            }
            else
            {
                merged[line.Key] = new RecordedLine(line with { Position = state.Lines.Count == 0 ? line.Position : ++next, Replayed = false },
                    new HashSet<WebhookEvent>(), null);
            }
        }
        return merged;
    }

    [LoggerMessage(EventId = 806, Level = LogLevel.Debug, Message = "Request {RequestId} is a dry run: nothing is written back")]
    private static partial void LogDryRun(ILogger logger, string requestId);

    [LoggerMessage(EventId = 807, Level = LogLevel.Information,
        Message = "Write-back for request {RequestId} recorded ({Lines} line(s) new or changed) and due for delivery (record key {WriteBackKey})")]
    private static partial void LogRecorded(ILogger logger, string requestId, string writeBackKey, int lines);

    [LoggerMessage(EventId = 808, Level = LogLevel.Debug,
        Message = "Write-back for request {RequestId}: nothing new to tell (record key {WriteBackKey}); no delivery scheduled")]
    private static partial void LogNothingNew(ILogger logger, string requestId, string writeBackKey);

    [LoggerMessage(EventId = 809, Level = LogLevel.Error,
        Message = "Write-back for request {RequestId} could not be recorded (record key {WriteBackKey}): the revocation stands; "
            + "nothing is told until a later attempt of the request records it")]
    private static partial void LogNotRecorded(ILogger logger, string requestId, string writeBackKey);

    [LoggerMessage(EventId = 803, Level = LogLevel.Error,
        Message = "Write-back for request {RequestId} failed unexpectedly (record key {WriteBackKey}); the revocation stands")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string requestId, string? writeBackKey);
}
