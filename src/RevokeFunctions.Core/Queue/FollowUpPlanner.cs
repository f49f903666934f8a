using System.Globalization;
using System.Text;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Queue;

/// <summary>
/// Decides, after an attempt, what is left and where it goes. Only unfinished targets travel on: transient ones in one
/// retry copy, not-yet-due ones in a copy scheduled for their date, and the ones no retry can fix in the dead-lettered
/// original. A message naming three users whose second is unknown and whose third hit a Graph outage therefore ends as:
/// first revoked, a retry carrying only the third, the original dead-lettered listing only the second.
/// </summary>
public sealed class FollowUpPlanner(RetryBackoff backoff)
{
    private const int MaxGivenLength = 120;
    private const string RetrySuffix = "; it will be retried.";

    public SettlementPlan Plan(RevocationResult result, QueueWork work)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(work);
        var envelope = work.Envelope;
        if (result.Error is { } error)
            return new SettlementPlan([], ForPayload(error, envelope, result.Source));

        var retry = new List<TargetResult>();
        var defer = new List<TargetResult>();
        var dead = new List<DeadTarget>();
        foreach (var target in result.Targets)
        {
            switch (TargetSettlements.Of(target))
            {
                case TargetSettlement.Retry:
                    retry.Add(target);
                    break;
                case TargetSettlement.Defer:
                    defer.Add(target);
                    break;
                case TargetSettlement.DeadLetter:
                    dead.Add(new DeadTarget(KeyOf(target), target.Given, target.UserId, target.Reason ?? ReasonCode.InvalidPayload,
                        target.Detail ?? "The user was not revoked."));
                    break;
            }
        }

        var followUps = new List<QueuedRevocation>();
        if (retry.Count > 0)
        {
            if (envelope.Attempt < backoff.MaxAttempts)
            {
                var next = envelope.Attempt + 1;
                var due = backoff.DueAfter(envelope.Attempt, retry.Max(t => t.RetryAfter));
                followUps.Add(Copy(work, retry, next, due, $"retry-{next}", "retry"));
            }
            else
            {
                dead.AddRange(retry.Select(t => new DeadTarget(KeyOf(t), t.Given, t.UserId, ReasonCode.TransientExhausted, t.IsSuccess
                    ? $"The user is {t.Outcome} but the ledger could not record it in {envelope.Attempt} attempts since "
                        + $"{envelope.FirstEnqueuedAt:O} (the audit log has the decision); check the ledger's storage, then resubmit this message to record it."
                    : $"Gave up after {envelope.Attempt} attempts since {envelope.FirstEnqueuedAt:O} (last error {t.Reason}: "
                        + $"{LastError(t)}); check Microsoft Graph's health and the app's throttling, then resubmit this message.")));
            }
        }
        foreach (var group in defer.GroupBy(t => t.NotBefore!.Value).OrderBy(g => g.Key))
        {
            var step = "due-" + group.Key.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            followUps.Add(Copy(work, [.. group], envelope.Attempt, group.Key, step, "deferred"));
        }

        dead.AddRange(work.Unmatched.Select(key => new DeadTarget(key, key, null, ReasonCode.InvalidPayload,
            "This retry names a target the message body no longer yields (the app's payload parsing changed between "
            + "attempts); revoke this user by hand.")));

        var total = result.Targets.Count + work.Unmatched.Count;
        return new SettlementPlan(followUps, dead.Count == 0 ? null : ForTargets(dead, total, envelope, result.Source));
    }

    /// <summary>
    /// The pipeline itself failed (a defect, or a store it depends on being down): the whole attempt is treated as
    /// transient, so it is retried with the same targets until the attempts run out.
    /// </summary>
    public SettlementPlan PlanFailure(Exception exception, QueueWork work)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(work);
        var envelope = work.Envelope;
        if (envelope.Attempt < backoff.MaxAttempts)
        {
            var next = envelope.Attempt + 1;
            var copy = new QueuedRevocation(envelope.CopyMessageId($"retry-{next}", work.BodySha256), work.Body,
                envelope with { Attempt = next, Continuation = 0 },
                backoff.DueAfter(envelope.Attempt, null))
            {
                Subject = work.SubjectPrefix + "retry",
                CorrelationId = work.CorrelationId,
                CarriedProperties = work.CarriedProperties,
            };
            return new SettlementPlan([copy], null);
        }

        var properties = envelope.ToProperties();
        var description = $"Gave up after {envelope.Attempt} attempts since {envelope.FirstEnqueuedAt:O} (last error "
            + $"{exception.GetType().Name}: {FirstSentence(exception.Message).TrimEnd('.')}); check the app's logs for request "
            + $"{envelope.RequestId} and the health of the stores it uses, then resubmit this message.";
        return new SettlementPlan([], new DeadLetterNotice(ReasonCode.TransientExhausted, DeadLetterNotice.Fit(description), properties));
    }

    /// <summary>
    /// The attempt reached its processing deadline (<c>Queue:ProcessingDeadline</c>, inside the message's lock) before
    /// every target had a result: the same targets go on at once in a continuation copy, where the finished ones are
    /// answered from the ledger without calling Graph. Not a failure, so the attempt count stays; but an attempt
    /// carried on <paramref name="maxContinuations"/> times without finishing is treated as a transient failure, so one
    /// target that always outlasts the deadline ends in the backoff and, in the end, a dead letter.
    /// </summary>
    public SettlementPlan PlanContinuation(QueueWork work, TimeSpan deadline, int maxContinuations)
    {
        ArgumentNullException.ThrowIfNull(work);
        var envelope = work.Envelope;
        var stopped = new TimeoutException(
            $"The attempt did not finish within Queue:ProcessingDeadline ({deadline}) {envelope.Continuation + 1} time(s) in a row.");
        if (envelope.Continuation >= maxContinuations)
            return PlanFailure(stopped, work);
        var next = envelope.Continuation + 1;
        var copy = new QueuedRevocation(envelope.CopyMessageId($"continue-{envelope.Attempt}.{next}", work.BodySha256), work.Body,
            envelope with { Continuation = next }, ScheduledFor: null)
        {
            Subject = work.SubjectPrefix + "continue",
            CorrelationId = work.CorrelationId,
            CarriedProperties = work.CarriedProperties,
        };
        return new SettlementPlan([copy], null);
    }

    /// <summary>A payload refused as a whole (not JSON, unknown shape, too many users): nobody in it was revoked.</summary>
    public static DeadLetterNotice ForPayload(PayloadError error, RevocationEnvelope envelope, SourceReference? source = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(envelope);
        var properties = (envelope with { PendingTargets = [] }).ToProperties();
        if (source is not null)
            properties[QueueProperties.Source] = Describe(source);
        return new DeadLetterNotice(error.Reason, DeadLetterNotice.Fit(error.Detail), properties);
    }

    private static DeadLetterNotice ForTargets(List<DeadTarget> dead, int total, RevocationEnvelope envelope, SourceReference? source)
    {
        var properties = (envelope with { PendingTargets = [.. dead.Select(d => d.Key)] }).ToProperties();
        if (source is not null)
            properties[QueueProperties.Source] = Describe(source);
        var userIds = dead.Select(d => d.UserId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (userIds.Count > 0)
            properties[QueueProperties.UserIds] = string.Join(',', userIds);
        var reasons = dead.Select(d => d.Reason).Distinct().ToList();
        if (reasons.Count > 1)
            properties[QueueProperties.ReasonCodes] = string.Join(' ', dead.Select(d => d.Reason.ToString()));

        if (dead.Count == 1 && total == 1)
            return new DeadLetterNotice(dead[0].Reason, DeadLetterNotice.Fit(dead[0].Detail), properties);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{dead.Count} of {total} users in this request were not revoked (the others are ")
            .Append("finished or scheduled); act on each cause below, then resubmit this message, which retries only these: ");
        for (var i = 0; i < dead.Count; i++)
        {
            var entry = dead[i];
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : " ")}{i + 1}) {Shorten(entry.Given)} ({entry.Reason}): {entry.Detail}");
        }
        // One reason code for the whole message: the first failure in payload order; RevokeReasonCodes lists them all.
        return new DeadLetterNotice(dead[0].Reason, DeadLetterNotice.Fit(text.ToString()), properties);
    }

    private static QueuedRevocation Copy(QueueWork work, IReadOnlyList<TargetResult> targets, int attempt, DateTimeOffset due, string step, string subject)
    {
        var envelope = work.Envelope with { Attempt = attempt, PendingTargets = [.. targets.Select(KeyOf)], Continuation = 0 };
        return new QueuedRevocation(work.Envelope.CopyMessageId(step, work.BodySha256), work.Body, envelope, due)
        {
            Subject = work.SubjectPrefix + subject,
            CorrelationId = work.CorrelationId,
            CarriedProperties = work.CarriedProperties,
        };
    }

    private static string KeyOf(TargetResult result) =>
        result.Target is { } target
            ? TargetKey.For(target)
            : throw new InvalidOperationException($"The result for '{result.Given}' carries no parsed target, so it cannot be retried on its own.");

    private static string LastError(TargetResult result)
    {
        var detail = result.Detail ?? "no detail";
        return (detail.EndsWith(RetrySuffix, StringComparison.Ordinal) ? detail[..^RetrySuffix.Length] : detail).TrimEnd('.');
    }

    private static string Describe(SourceReference source) => source.Id is { Length: > 0 } id ? $"{source.Kind}:{id}" : source.Kind;

    private static string Shorten(string value) => value.Length <= MaxGivenLength ? value : value[..MaxGivenLength] + "…";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var sentence = end > 0 ? message[..(end + 1)] : message;
        return sentence.Length > 300 ? sentence[..300] + "…" : sentence;
    }

    private sealed record DeadTarget(string Key, string Given, string? UserId, ReasonCode Reason, string Detail);
}
