using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// The chat webhook (<see cref="WebhookOptions"/>): one post per event (a protected account revoked, a storm-guard
/// refusal, a dead letter, a revocation left unverified, a leaver rescinded too late) for the targets the record shows not yet posted about; a payload dead-lettered as a whole is
/// posted once.
/// </summary>
internal sealed class WebhookChannel(IOptions<NotificationOptions> options, IWebhookNotifier webhook) : IWriteBackChannel
{
    public WriteBackChannel Channel => WriteBackChannel.Webhook;

    public async Task<ChannelOutcome> DeliverAsync(DeliveryRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!options.Value.Webhook.Enabled)
            return new ChannelOutcome(Channel, ChannelStatus.NotApplicable);

        var lines = run.Lines.Values.OrderBy(l => l.Line.Position).ToList();
        var due = new List<(WebhookEvent Event, List<RecordedLine> Lines, string? Reason, string? Detail)>();
        var anyNotable = false;

        void Collect(WebhookEvent kind, Func<OutcomeLine, bool> concerns, Func<List<RecordedLine>, (string? Reason, string? Detail)> describe)
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

        var deadLetter = run.State.DeadLetter;
        Collect(WebhookEvent.ProtectedAccountRevoked,
            l => l is { Outcome: Outcome.Revoked, State: OutcomeState.Final, IsProtected: true },
            _ => (null, null));
        Collect(WebhookEvent.StormGuardRefused,
            l => l.Reason == ReasonCode.StormGuard && l.State != OutcomeState.Pending,
            found => (nameof(ReasonCode.StormGuard), found[0].Line.Detail));
        Collect(WebhookEvent.RevocationUnverified,
            l => l is { Outcome: Outcome.Revoked, Verification: VerificationState.Unverified },
            found => (nameof(VerificationState.Unverified), found[0].Line.SessionsValidFrom is { } at
                ? $"Graph still showed sessions valid from {at:O} when the verification bound passed."
                : "Graph's timestamp could not be read back within the verification bound."));
        Collect(WebhookEvent.LeaverRescindedTooLate,
            l => l.Reason == ReasonCode.LeaverAlreadyExecuted && l.State != OutcomeState.Pending,
            found => (nameof(ReasonCode.LeaverAlreadyExecuted), found[0].Line.Detail));
        Collect(WebhookEvent.DeadLettered,
            l => l.State == OutcomeState.DeadLettered && l.DeadLetterReason is not (ReasonCode.StormGuard or ReasonCode.LeaverAlreadyExecuted),
            found => (found[0].Line.DeadLetterReason?.ToString(), deadLetter?.Description ?? found[0].Line.Detail));

        // A message dead-lettered as a whole (a refused payload, attempts exhausted) names no target line.
        var wholeRefusal = deadLetter is not null && !lines.Any(l => l.Line.State == OutcomeState.DeadLettered);
        anyNotable |= wholeRefusal;
        var refusalDue = wholeRefusal && !run.State.RefusalNotified;
        if (due.Count == 0 && !refusalDue)
            return new ChannelOutcome(Channel, anyNotable ? ChannelStatus.AlreadyDone : ChannelStatus.NotApplicable);

        CallResult? failed = null;
        foreach (var (kind, concerned, reason, detail) in due)
        {
            var notification = new WebhookNotification(kind, run.RequestId, run.Source, [.. concerned.Select(l => l.Line)], reason, detail);
            var result = await DeliveryRun.TryAsync(ct => webhook.PostAsync(notification, ct), cancellationToken);
            if (!result.Succeeded)
            {
                failed ??= result;
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
            var notification = new WebhookNotification(WebhookEvent.DeadLettered, run.RequestId, run.Source, [], deadLetter!.Reason.ToString(),
                deadLetter.Description);
            var result = await DeliveryRun.TryAsync(ct => webhook.PostAsync(notification, ct), cancellationToken);
            if (result.Succeeded)
                await run.SaveRefusalNotifiedAsync();
            else
                failed ??= result;
        }

        var status = failed is null ? ChannelStatus.Done : ChannelStatus.Failed;
        await run.SaveAsync(Channel, status, null, failed?.Problem);
        return new ChannelOutcome(Channel, status, run.Delivery, failed?.Problem, failed?.RetryAfter);
    }
}
