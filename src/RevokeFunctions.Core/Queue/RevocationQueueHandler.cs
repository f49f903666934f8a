using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Guards;
using RevokeFunctions.Intake;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Queue;

/// <summary>
/// Everything the Service Bus trigger does, behind a four-line adapter: read the message, run the pipeline on the
/// targets still pending, send what is left on as copies, then settle the message exactly once. It is completed only
/// after its work is finished or handed to a copy; refused work is dead-lettered with a reason code; work interrupted
/// by shutdown is abandoned so Service Bus delivers it again. Before a message is completed or dead-lettered, the
/// write-back tells the source and the people what became of it (dead-letter reasons included); a redelivered message
/// posts nothing twice, and a write-back that fails never changes the settlement.
/// </summary>
/// <remarks>
/// Three ways the platform around it can misbehave, each with a defined end. (1) The work outlasts the message's lock:
/// each delivery has <see cref="QueueOptions.ProcessingDeadline"/>, well inside the host's lock renewal, after which the
/// targets go on in a continuation copy and the message is completed in time. (2) The copies cannot be sent: the
/// message is held for a bounded, growing back-off (<see cref="QueueOptions.SendFailureDelay"/>) before it is
/// abandoned, so a sender outage is not a hot loop of redeliveries. (3) The settlement call itself throws (the
/// worker's gRPC channel to the host): an error event names the request and the settlement it wanted, a metric counts
/// it, and the lock is left to expire so Service Bus delivers the message again; the intended dead-letter reason is
/// kept beforehand (<see cref="DeadLetterIntents"/>) for the letter Service Bus makes itself in the end.
/// </remarks>
public sealed partial class RevocationQueueHandler(
    PayloadParser parser,
    RevocationPipeline pipeline,
    RequestIntake intake,
    UserNameLogFormatter names,
    FollowUpPlanner planner,
    IRevocationQueue queue,
    WriteBackOutbox writeBack,
    IOptions<QueueOptions> queueOptions,
    DeadLetterIntents intents,
    RevocationMetrics metrics,
    TimeProvider time,
    ILogger<RevocationQueueHandler> logger)
{
    public async Task<QueueSettlement> HandleAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settlement);
        var options = queueOptions.Value;
        var started = time.GetUtcNow();
        var envelope = RevocationEnvelope.Read(message);
        var bodySha256 = IntakeRecord.HashBody(message.Body.ToMemory().Span);
        var context = QueuedContext(envelope, bodySha256);
        if (envelope.NamesRequest)
        {
            // A copy of a request carries that request's authority only if the request recorded this very body.
            var (resumption, resumed) = await intake.ResumeAsync(context, cancellationToken);
            if (resumption == IntakeResumption.Mismatch)
            {
                envelope = RevocationEnvelope.ReadAsSubmitted(message);
                context = QueuedContext(envelope, bodySha256);
            }
            else
            {
                context = resumed;
            }
        }

        if (!QueueMessageBody.TryRead(message, out var body, out var bodyError))
            return await RefuseAsync(message, settlement, envelope, context, bodyError!, cancellationToken);
        var parsed = parser.Parse(body, envelope.FirstEnqueuedAt);
        if (!parsed.Succeeded)
            return await RefuseAsync(message, settlement, envelope, context, parsed.Error, cancellationToken);
        if (!envelope.NamesRequest)
        {
            // A submitter's own message: its MessageId is its idempotency key, bound to this body.
            var admission = await intake.AdmitAsync(context, RequestIntake.QueueCaller, cancellationToken);
            if (admission.Refusal is { } reused)
                return await RefuseAsync(message, settlement, envelope, context, reused, cancellationToken);
            context = admission.Context;
        }

        var (payload, unmatched) = SelectPending(parsed.Payload, envelope.PendingTargets);
        var work = new QueueWork(BinaryData.FromBytes(body), envelope)
        {
            CorrelationId = message.CorrelationId,
            CarriedProperties = message.ApplicationProperties,
            Unmatched = unmatched,
        };

        SettlementPlan plan;
        RevocationResult? result = null;
        // The pipeline works against the deadline; what follows it (sends, write-back, settlement) against the host's token.
        using var deadline = new CancellationTokenSource(options.ProcessingDeadline, time);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            result = await pipeline.ProcessAsync(payload, context, working.Token);
            if (result.LedgerPending)
                result = await pipeline.RecordPendingAsync(result, context, working.Token);
            plan = planner.Plan(result, work);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(logger, envelope.RequestId, message.MessageId, envelope.Attempt);
            return await AbandonAsync(message, settlement, envelope, "processing was cancelled");
        }
        catch (Exception ex) when (ex is OperationCanceledException && deadline.IsCancellationRequested)
        {
            LogDeadlineReached(logger, envelope.RequestId, message.MessageId, envelope.Attempt, options.ProcessingDeadline, envelope.Continuation);
            plan = planner.PlanContinuation(work, options.ProcessingDeadline, options.MaxContinuations);
            result = null;
        }
        catch (Exception ex)
        {
            // Anything else, a timeout that surfaced as a cancellation included, is treated as transient: retried, then exhausted.
            LogPipelineFailed(logger, ex, envelope.RequestId, message.MessageId, envelope.Attempt);
            plan = planner.PlanFailure(ex, work);
            result = null; // Whatever part of a result there was is not reported: the retry, or its dead letter, is.
        }

        try
        {
            // The copies will read this request's intake record (the queue's own senders carry no authority to lose).
            if (plan.FollowUps.Count > 0)
                await intake.RecordAsync(context, cancellationToken);
            foreach (var followUp in plan.FollowUps)
            {
                await queue.SendAsync(followUp, cancellationToken);
                LogFollowUpSent(logger, envelope.RequestId, followUp.MessageId, followUp.Subject, followUp.ScheduledFor,
                    followUp.Envelope.PendingTargets.Count);
            }
        }
        catch (Exception ex) when (ex is RevocationQueueUnavailableException
            || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Completing now would lose the unfinished targets: let Service Bus deliver the message again instead. Targets
            // finished in this attempt come back as AlreadyRevoked (Graph's own timestamp), never revoked twice.
            LogFollowUpFailed(logger, ex, envelope.RequestId, message.MessageId);
            await HoldAsync(message, envelope, started, options, cancellationToken);
            return await AbandonAsync(message, settlement, envelope, "its follow-up messages could not be sent");
        }

        // The settlement is decided: say so before settling, so a crash now means a redelivery that says it again
        // (idempotently) rather than a decision nobody was told about.
        if (result is not null)
            await WriteBackAsync(RequestOutcome.ForQueue(context, result, plan), cancellationToken);
        else if (plan.DeadLetter is not null)
            await WriteBackAsync(RequestOutcome.ForQueue(context, new RevocationResult(context.RequestId, null, payload.Source, []), plan), cancellationToken);

        if (plan.DeadLetter is { } notice)
            return await DeadLetterAsync(message, settlement, envelope, notice, plan.FollowUps.Count);

        // The work is done or handed to the copies: settle it even if shutdown began meanwhile.
        if (!await SettleAsync(QueueSettlementKind.Completed, envelope, message, null,
                () => settlement.CompleteMessageAsync(message, CancellationToken.None)))
        {
            return new QueueSettlement(QueueSettlementKind.Unsettled, null, plan.FollowUps.Count) { Wanted = QueueSettlementKind.Completed };
        }
        LogCompleted(logger, envelope.RequestId, message.MessageId, envelope.Attempt, plan.FollowUps.Count);
        return new QueueSettlement(QueueSettlementKind.Completed, null, plan.FollowUps.Count);
    }

    /// <summary>A message refused whole (unreadable, unknown shape): dead-lettered, and the write-back told.</summary>
    private async Task<QueueSettlement> RefuseAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, RevocationEnvelope envelope,
        RevocationContext context, PayloadError error, CancellationToken cancellationToken)
    {
        var notice = FollowUpPlanner.ForPayload(error, envelope);
        await WriteBackAsync(new RequestOutcome(context, RevocationResult.Invalid(context.RequestId, error)) { DeadLetter = notice }, cancellationToken);
        return await DeadLetterAsync(message, settlement, envelope, notice);
    }

    /// <summary>Records what is to be told in the outbox (delivered by its own function); it never throws, so the settlement that follows is always made.</summary>
    private async Task WriteBackAsync(RequestOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await writeBack.RecordAsync(outcome, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The outbox promises not to throw; if it breaks that promise the message is still settled as decided.
            LogWriteBackFailed(logger, ex, outcome.Context.RequestId);
        }
    }

    private static RevocationContext QueuedContext(RevocationEnvelope envelope, string bodySha256) =>
        new(envelope.RequestId, RequestChannel.Queue, envelope.FirstEnqueuedAt)
        {
            IdempotencyKey = envelope.OriginalMessageId,
            BodySha256 = bodySha256,
        };

    private static (ParsedPayload Payload, IReadOnlyList<string> Unmatched) SelectPending(ParsedPayload payload, IReadOnlyList<string> pending)
    {
        if (pending.Count == 0)
            return (payload, []);
        var wanted = new HashSet<string>(pending, StringComparer.Ordinal);
        var selected = payload.Targets.Where(t => wanted.Contains(TargetKey.For(t))).ToList();
        var found = selected.Select(TargetKey.For).ToHashSet(StringComparer.Ordinal);
        return (payload with { Targets = selected }, [.. pending.Where(key => !found.Contains(key))]);
    }

    private async Task<QueueSettlement> DeadLetterAsync(
        ServiceBusReceivedMessage message, IMessageSettlement settlement, RevocationEnvelope envelope, DeadLetterNotice notice, int followUps = 0)
    {
        // Kept first: if the call below keeps failing, Service Bus dead-letters the message itself (MaxDeliveryCountExceeded)
        // and this is where the operator's tool finds why the app meant to.
        await intents.RecordAsync(envelope.RequestId, message.MessageId, notice, CancellationToken.None);
        if (!await SettleAsync(QueueSettlementKind.DeadLettered, envelope, message, notice.Reason,
                () => settlement.DeadLetterMessageAsync(message, notice.Properties, notice.Reason.ToString(), notice.Description, CancellationToken.None)))
        {
            return new QueueSettlement(QueueSettlementKind.Unsettled, notice.Reason, followUps) { Wanted = QueueSettlementKind.DeadLettered };
        }
        metrics.DeadLettered(notice.Reason.ToString());
        LogDeadLettered(logger, envelope.RequestId, message.MessageId, envelope.Attempt, notice.Reason, names.Redact(notice.Description)!);
        return new QueueSettlement(QueueSettlementKind.DeadLettered, notice.Reason, followUps);
    }

    private async Task<QueueSettlement> AbandonAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, RevocationEnvelope envelope, string why)
    {
        // Stamping the identity keeps the request ID and first-arrival time stable across the redelivery.
        if (!await SettleAsync(QueueSettlementKind.Abandoned, envelope, message, null,
                () => settlement.AbandonMessageAsync(message, envelope.ToProperties(), CancellationToken.None)))
        {
            return new QueueSettlement(QueueSettlementKind.Unsettled, null, 0) { Wanted = QueueSettlementKind.Abandoned };
        }
        LogAbandoned(logger, envelope.RequestId, message.MessageId, envelope.Attempt, why);
        return new QueueSettlement(QueueSettlementKind.Abandoned, null, 0);
    }

    /// <summary>
    /// One settlement call over the worker's channel to the host. When it throws (the channel has failed in the field,
    /// e.g. RpcException Unimplemented), the message stays locked until the lock expires and Service Bus delivers it
    /// again; the redelivery finds its work in the ledger and the write-back record, so nothing is done or told twice.
    /// </summary>
    private async Task<bool> SettleAsync(QueueSettlementKind wanted, RevocationEnvelope envelope, ServiceBusReceivedMessage message, ReasonCode? reason,
        Func<Task> settle)
    {
        try
        {
            await settle();
            return true;
        }
        catch (Exception ex)
        {
            LogSettlementFailed(logger, ex, envelope.RequestId, message.MessageId, envelope.Attempt, wanted, reason, message.DeliveryCount);
            metrics.SettlementFailed(wanted.ToString());
            return false;
        }
    }

    /// <summary>
    /// Holds the message (its lock renewed by the host meanwhile) for a back-off that grows with each delivery, never
    /// past the processing deadline, before it is abandoned: an outage of the sender then costs a few deliveries spread
    /// over minutes, not ten immediate ones that each call Graph again. Shutdown ends the hold at once.
    /// </summary>
    private async Task HoldAsync(ServiceBusReceivedMessage message, RevocationEnvelope envelope, DateTimeOffset started, QueueOptions options,
        CancellationToken cancellationToken)
    {
        var left = started + options.ProcessingDeadline - time.GetUtcNow();
        var hold = options.SendFailureDelay(message.DeliveryCount);
        if (hold > left)
            hold = left;
        if (hold <= TimeSpan.Zero)
            return;
        LogHolding(logger, envelope.RequestId, message.MessageId, hold, message.DeliveryCount);
        try
        {
            await Task.Delay(hold, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: abandon now, the next instance takes it.
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}) completed; {FollowUps} follow-up message(s) sent")]
    private static partial void LogCompleted(ILogger logger, string requestId, string? messageId, int attempt, int followUps);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}) dead-lettered: {ReasonCode}: {Description}")]
    private static partial void LogDeadLettered(ILogger logger, string requestId, string? messageId, int attempt, ReasonCode reasonCode, string description);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}) abandoned: processing was cancelled")]
    private static partial void LogCancelled(ILogger logger, string requestId, string? messageId, int attempt);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error,
        Message = "Queue message {MessageId} (request {RequestId}): its follow-up messages could not be sent; it is held, then abandoned")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception exception, string requestId, string? messageId);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}): the pipeline failed; the attempt is treated as transient")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception, string requestId, string? messageId, int attempt);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information,
        Message = "Request {RequestId}: sent {Subject} message {FollowUpMessageId} due {DueAt} for {PendingTargets} target(s)")]
    private static partial void LogFollowUpSent(ILogger logger, string requestId, string followUpMessageId, string? subject, DateTimeOffset? dueAt, int pendingTargets);

    [LoggerMessage(EventId = 46, Level = LogLevel.Error,
        Message = "Settlement failed: queue message {MessageId} (request {RequestId}, attempt {Attempt}, delivery {DeliveryCount}) was to be "
            + "{WantedSettlement} {ReasonCode}, but the call threw; the message is left to Service Bus, which delivers it again when the lock expires")]
    private static partial void LogSettlementFailed(ILogger logger, Exception exception, string requestId, string? messageId, int attempt,
        QueueSettlementKind wantedSettlement, ReasonCode? reasonCode, int deliveryCount);

    [LoggerMessage(EventId = 48, Level = LogLevel.Warning,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}) reached its processing deadline {Deadline} "
            + "(continuation {Continuation}); the unfinished targets go on in a copy")]
    private static partial void LogDeadlineReached(ILogger logger, string requestId, string? messageId, int attempt, TimeSpan deadline, int continuation);

    [LoggerMessage(EventId = 49, Level = LogLevel.Warning,
        Message = "Queue message {MessageId} (request {RequestId}) held {Hold} before it is abandoned (delivery {DeliveryCount})")]
    private static partial void LogHolding(ILogger logger, string requestId, string? messageId, TimeSpan hold, int deliveryCount);

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}) abandoned: {Why}")]
    private static partial void LogAbandoned(ILogger logger, string requestId, string? messageId, int attempt, string why);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error,
        Message = "Request {RequestId}: the write-back failed; the message is settled as decided")]
    private static partial void LogWriteBackFailed(ILogger logger, Exception exception, string requestId);
}
