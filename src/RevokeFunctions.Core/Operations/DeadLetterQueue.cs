using System.Runtime.CompilerServices;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Operations;

/// <summary>
/// The revocation queue's dead letters, for operators: list and show by peeking (nothing is locked or changed), and
/// resubmit, which sends a copy to the main queue and only then completes the dead letter, so a crash in between leaves
/// the letter where it was and a rerun's second copy is dropped by duplicate detection (see
/// <see cref="ResubmissionCopy.MessageIdFor"/>).
/// </summary>
public sealed class DeadLetterQueue
{
    /// <summary>Reasons a guard gave: a person decided these should not happen unreviewed, so resubmitting needs <c>--confirm</c>.</summary>
    public static readonly IReadOnlyList<string> GuardedReasons = [nameof(ReasonCode.StormGuard), nameof(ReasonCode.ProtectedAccount)];

    private const int PageSize = 100;
    private const int ReceiveBatch = 50;
    private static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(3);

    private readonly ServiceBusReceiver deadLetters;
    private readonly ServiceBusSender queue;
    private readonly IOperatorIdentity operatorIdentity;
    private readonly TimeProvider time;
    private readonly PayloadParser? parser;
    private readonly DeadLetterIntents? intents;

    /// <param name="deadLetters">A peek-lock receiver on the queue's dead-letter sub-queue; a receiver on the queue itself is refused.</param>
    /// <param name="queue">A sender to the main queue, where copies go.</param>
    /// <param name="parser">Names the users of letters that carry no <c>Revoke*</c> properties, from their body; optional.</param>
    /// <param name="intents">Where the app kept the dead letters it meant to make, for letters Service Bus made itself; optional.</param>
    public DeadLetterQueue(ServiceBusReceiver deadLetters, ServiceBusSender queue, IOperatorIdentity operatorIdentity, TimeProvider time,
        PayloadParser? parser = null, DeadLetterIntents? intents = null)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(operatorIdentity);
        ArgumentNullException.ThrowIfNull(time);
        // Completing what a receiver on the main queue hands out would silently take live requests away from the app.
        if (!deadLetters.EntityPath.EndsWith("/$deadletterqueue", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The receiver reads '{deadLetters.EntityPath}', not a dead-letter sub-queue.", nameof(deadLetters));
        if (deadLetters.ReceiveMode != ServiceBusReceiveMode.PeekLock)
            throw new ArgumentException("The dead-letter receiver must use PeekLock, so a letter is removed only after its copy is sent.", nameof(deadLetters));
        this.deadLetters = deadLetters;
        this.queue = queue;
        this.operatorIdentity = operatorIdentity;
        this.time = time;
        this.parser = parser;
        this.intents = intents;
    }

    public string QueueName => queue.EntityPath;

    public string FullyQualifiedNamespace => queue.FullyQualifiedNamespace;

    /// <summary>The letters that match, oldest sequence number first; peeked, so nothing is locked.</summary>
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var letters = new List<DeadLetter>();
        await foreach (var message in PeekAsync(filter.SequenceNumber, cancellationToken))
        {
            var letter = await WithRecordedReasonAsync(DeadLetter.From(message, parser), cancellationToken);
            if (filter.Matches(letter))
                letters.Add(letter);
            if (filter.SequenceNumber is not null)
                break;
        }
        return letters;
    }

    /// <summary>Every letter, reduced to its reason codes and counts: what an empty filter result can point to instead.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByReasonAsync(CancellationToken cancellationToken)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var message in PeekAsync(null, cancellationToken))
        {
            var reason = message.DeadLetterReason ?? "(none)";
            counts[reason] = counts.GetValueOrDefault(reason) + 1;
        }
        return counts;
    }

    /// <summary>One letter in full; null when there is no letter with that sequence number.</summary>
    public async Task<DeadLetterDetail?> ShowAsync(long sequenceNumber, int maxBodyChars, CancellationToken cancellationToken)
    {
        var message = await PeekOneAsync(sequenceNumber, cancellationToken);
        if (message is null)
            return null;
        var detail = DeadLetterDetail.From(message, maxBodyChars, parser);
        return detail with { Letter = await WithRecordedReasonAsync(detail.Letter, cancellationToken) };
    }

    /// <summary>
    /// A letter Service Bus dead-lettered itself says only <c>MaxDeliveryCountExceeded</c>: the app's own reason, kept
    /// when its dead-letter call failed (see <see cref="DeadLetterIntents"/>), is added by request ID.
    /// </summary>
    private async Task<DeadLetter> WithRecordedReasonAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        if (intents is null || !letter.IsServiceBusReason || await intents.FindAsync(letter.RequestId, cancellationToken) is not { } intended)
            return letter;
        return letter with { RecordedReason = intended.Reason, RecordedDescription = intended.Description };
    }

    /// <summary>
    /// Resubmits the selected letters, each in two steps: send the copy, then complete the letter. Letters are chosen
    /// by peeking first, so a dry run lists exactly what a real run would touch; guarded letters are left alone unless
    /// confirmed. A single sequence number that is not in the queue gives no results.
    /// </summary>
    public async Task<ResubmitReport> ResubmitAsync(ResubmitRequest request, IProgress<ResubmitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selection = request.Selection;
        var selected = new List<DeadLetter>();
        if (selection.SequenceNumber is { } single)
        {
            if (await PeekOneAsync(single, cancellationToken) is { } one
                && await WithRecordedReasonAsync(DeadLetter.From(one, parser), cancellationToken) is var letter && selection.Matches(letter))
            {
                selected.Add(letter);
            }
        }
        else
        {
            selected.AddRange(await ListAsync(selection, cancellationToken));
        }
        if (selected.Count == 0)
            return new ResubmitReport([]);

        var results = new Dictionary<long, ResubmitResult>();
        var toSend = new Dictionary<long, DeadLetter>();
        var by = await operatorIdentity.GetNameAsync(cancellationToken);
        foreach (var letter in selected)
        {
            if (!request.Confirm && IsGuarded(letter))
            {
                results[letter.SequenceNumber] = Result(letter, ResubmitOutcome.NeedsConfirmation, null, ConfirmationAdvice(letter));
            }
            else if (request.DryRun)
            {
                var copyId = ResubmissionCopy.MessageIdFor(letter.MessageId, letter.SequenceNumber, letter.Resubmissions + 1);
                results[letter.SequenceNumber] = Result(letter, ResubmitOutcome.WouldResubmit, copyId,
                    $"Would send a copy as {copyId} (resubmission {letter.Resubmissions + 1}, by {by}) and then remove the dead letter.");
            }
            else
            {
                toSend[letter.SequenceNumber] = letter;
            }
        }

        var stoppedBy = toSend.Count > 0
            ? await SettleAsync(toSend, (message, letter) => SendThenCompleteAsync(message, letter, by, cancellationToken), results, progress, cancellationToken)
            : null;
        return new ResubmitReport([.. selected.Select(l => results[l.SequenceNumber])], stoppedBy);
    }

    /// <summary>
    /// Removes one letter without sending a copy, for requests handled another way (a protected account revoked by a
    /// holder of the role, a payload fixed at its source and sent again). Without <paramref name="confirm"/> it only
    /// says what it would remove. The ledger keeps the request's rows either way.
    /// </summary>
    public async Task<ResubmitReport> DiscardAsync(long sequenceNumber, bool confirm, CancellationToken cancellationToken)
    {
        if (await PeekOneAsync(sequenceNumber, cancellationToken) is not { } message)
            return new ResubmitReport([]);
        var letter = DeadLetter.From(message, parser);
        var by = await operatorIdentity.GetNameAsync(cancellationToken);
        if (!confirm)
        {
            return new ResubmitReport([Result(letter, ResubmitOutcome.NeedsConfirmation, null,
                $"Would remove this {letter.Reason} letter for request {letter.RequestId} without resubmitting it; add --confirm to do so.")]);
        }
        var results = new Dictionary<long, ResubmitResult>();
        var stoppedBy = await SettleAsync(new Dictionary<long, DeadLetter> { [sequenceNumber] = letter },
            (locked, listed) => CompleteOnlyAsync(locked, listed, by), results, null, cancellationToken);
        return new ResubmitReport([results[sequenceNumber]], stoppedBy);
    }

    public static bool IsGuarded(DeadLetter letter) => GuardCodesOf(letter).Any();

    private static IEnumerable<string> GuardCodesOf(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        // The app's own reason counts too when Service Bus made the letter: a storm-guard refusal stays guarded.
        return letter.ReasonCodes.Append(letter.Reason ?? "").Append(letter.RecordedReason ?? "")
            .Where(code => GuardedReasons.Contains(code, StringComparer.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static string ConfirmationAdvice(DeadLetter letter)
    {
        var codes = GuardCodesOf(letter).ToList();
        var advice = new List<string> { $"A guard stopped this request ({string.Join(", ", codes)}); nothing was sent." };
        if (codes.Contains(nameof(ReasonCode.StormGuard), StringComparer.OrdinalIgnoreCase))
        {
            advice.Add("Storm guard: if the burst is real, resubmit with --confirm once its window has drained (or revoke as a person "
                + "with 'revoke run'); if not, discard the letter.");
        }
        if (codes.Contains(nameof(ReasonCode.ProtectedAccount), StringComparer.OrdinalIgnoreCase))
        {
            advice.Add("Protected account: the queue never revokes one, so a resubmission is refused again while the account is "
                + "protected; have a holder of Revocations.Protected submit it over HTTP, then discard the letter.");
        }
        return string.Join(' ', advice);
    }

    /// <summary>
    /// Locks the chosen letters by receiving from the dead-letter queue (Service Bus locks no message by sequence
    /// number) and settles each with <paramref name="settle"/>, holding every other letter it meets until the end so the
    /// scan moves past them, then releasing those. Stops at the first failure to receive or send, returning it.
    /// </summary>
    private async Task<DeadLetterAccessException?> SettleAsync(
        Dictionary<long, DeadLetter> pending,
        Func<ServiceBusReceivedMessage, DeadLetter, Task<(ResubmitResult Result, DeadLetterAccessException? StoppedBy)>> settle,
        Dictionary<long, ResubmitResult> results, IProgress<ResubmitProgress>? progress, CancellationToken cancellationToken)
    {
        var total = pending.Count;
        var held = new List<ServiceBusReceivedMessage>();
        var seen = new HashSet<long>();
        DeadLetterAccessException? stoppedBy = null;
        progress?.Report(new ResubmitProgress(0, total));
        try
        {
            while (pending.Count > 0 && stoppedBy is null && !cancellationToken.IsCancellationRequested)
            {
                IReadOnlyList<ServiceBusReceivedMessage> batch;
                try
                {
                    batch = await deadLetters.ReceiveMessagesAsync(ReceiveBatch, ReceiveWait, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (Translate(ex, sending: false) is { } access)
                {
                    stoppedBy = access;
                    break;
                }

                var unseen = batch.Count(m => seen.Add(m.SequenceNumber));
                if (unseen == 0)
                {
                    // Nothing new: every letter left is locked by someone (possibly us, if a lock expired) or gone.
                    held.AddRange(batch);
                    break;
                }
                foreach (var message in batch)
                {
                    if (stoppedBy is not null || cancellationToken.IsCancellationRequested || !pending.Remove(message.SequenceNumber, out var letter))
                    {
                        held.Add(message);
                        continue;
                    }
                    (results[letter.SequenceNumber], stoppedBy) = await settle(message, letter);
                    progress?.Report(new ResubmitProgress(total - pending.Count, total));
                }
            }
        }
        finally
        {
            await ReleaseAsync(held);
        }

        foreach (var letter in pending.Values)
        {
            var why = stoppedBy is not null ? "Stopped after the failure above"
                : cancellationToken.IsCancellationRequested ? "Interrupted before this letter"
                : "Listed but not received: another receiver holds its lock, or it was removed meanwhile";
            results[letter.SequenceNumber] = Result(letter, ResubmitOutcome.NotReceived, null,
                $"{why}. Nothing was sent for it; run the resubmission again.");
        }
        return stoppedBy;
    }

    private async Task<(ResubmitResult Result, DeadLetterAccessException? StoppedBy)> SendThenCompleteAsync(
        ServiceBusReceivedMessage message, DeadLetter letter, string by, CancellationToken cancellationToken)
    {
        ServiceBusMessage copy;
        try
        {
            copy = ResubmissionCopy.Create(message, by, time.GetUtcNow());
        }
        catch (NotSupportedException)
        {
            await ReleaseAsync([message]);
            return (Result(letter, ResubmitOutcome.Failed, null,
                "Its body is an AMQP value, not data, which the app can never read; keep a record of it and remove it by hand."), null);
        }

        try
        {
            await queue.SendMessageAsync(copy, cancellationToken);
        }
        catch (Exception ex) when (ex is ServiceBusException or UnauthorizedAccessException or OperationCanceledException
            || Translate(ex, sending: true) is not null)
        {
            await ReleaseAsync([message]);
            var access = Translate(ex, sending: true) ?? new DeadLetterAccessException(DeadLetterAccessFailure.Unreachable,
                ex is OperationCanceledException ? "Interrupted while sending." : $"Service Bus did not take the copy ({ex.Message}).", ex);
            return (Result(letter, ResubmitOutcome.Failed, copy.MessageId, $"Not sent; the dead letter is kept. {access.Message}"), access);
        }

        try
        {
            // The copy is on the queue: remove the letter even if the operator asked to stop meanwhile.
            await deadLetters.CompleteMessageAsync(message, CancellationToken.None);
        }
        catch (ServiceBusException ex)
        {
            return (Result(letter, ResubmitOutcome.SentNotRemoved, copy.MessageId,
                $"Sent as {copy.MessageId}, but the dead letter could not be removed ({ex.Reason}). Run the same resubmission again: "
                + "duplicate detection drops the second copy and the letter is then removed."), null);
        }
        return (Result(letter, ResubmitOutcome.Resubmitted, copy.MessageId,
            $"Sent as {copy.MessageId} (resubmission {letter.Resubmissions + 1}, by {by}); the dead letter is removed."), null);
    }

    private async Task<(ResubmitResult Result, DeadLetterAccessException? StoppedBy)> CompleteOnlyAsync(
        ServiceBusReceivedMessage message, DeadLetter letter, string by)
    {
        try
        {
            await deadLetters.CompleteMessageAsync(message, CancellationToken.None);
        }
        catch (Exception ex) when (Translate(ex, sending: false) is { } access)
        {
            return (Result(letter, ResubmitOutcome.Failed, null, $"Not removed. {access.Message}"), access);
        }
        catch (ServiceBusException ex)
        {
            return (Result(letter, ResubmitOutcome.NotReceived, null, $"Not removed ({ex.Reason}); run the discard again."), null);
        }
        return (Result(letter, ResubmitOutcome.Discarded, null,
            $"Removed without a copy by {by}; the ledger keeps request {letter.RequestId}'s rows."), null);
    }

    /// <summary>Gives letters back to the queue at once instead of when their locks expire; a lock already lost is fine.</summary>
    private async Task ReleaseAsync(IEnumerable<ServiceBusReceivedMessage> messages)
    {
        foreach (var message in messages)
        {
            try
            {
                await deadLetters.AbandonMessageAsync(message, null, CancellationToken.None);
            }
            catch (ServiceBusException)
            {
                // The lock expired or the link dropped: the letter is visible again either way.
            }
        }
    }

    private async IAsyncEnumerable<ServiceBusReceivedMessage> PeekAsync(long? from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = from;
        while (true)
        {
            IReadOnlyList<ServiceBusReceivedMessage> page;
            try
            {
                page = await deadLetters.PeekMessagesAsync(PageSize, next, cancellationToken);
            }
            catch (Exception ex) when (Translate(ex, sending: false) is { } access)
            {
                throw access;
            }
            if (page.Count == 0)
                yield break;
            foreach (var message in page)
                yield return message;
            next = page[^1].SequenceNumber + 1;
        }
    }

    private async Task<ServiceBusReceivedMessage?> PeekOneAsync(long sequenceNumber, CancellationToken cancellationToken)
    {
        await foreach (var message in PeekAsync(sequenceNumber, cancellationToken))
            return message.SequenceNumber == sequenceNumber ? message : null;
        return null;
    }

    private DeadLetterAccessException? Translate(Exception exception, bool sending) =>
        DeadLetterAccessException.From(exception, sending, queue.FullyQualifiedNamespace, queue.EntityPath);

    private static ResubmitResult Result(DeadLetter letter, ResubmitOutcome outcome, string? copyId, string detail) =>
        new(letter.SequenceNumber, letter.RequestId, letter.Reason, outcome, copyId, detail);
}
