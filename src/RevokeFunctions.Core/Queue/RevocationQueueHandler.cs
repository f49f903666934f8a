using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Guards;
using RevokeFunctions.Intake;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Queue;

/// <summary>
/// Everything the Service Bus trigger does, behind a four-line adapter: read the message, run the pipeline on the
/// targets still pending, send what is left on as copies, then settle the message exactly once. It is completed only
/// after its work is finished or handed to a copy; refused work is dead-lettered with a reason code; work interrupted
/// by shutdown, or whose copies could not be sent, is abandoned so Service Bus delivers it again. Before a message is
/// completed or dead-lettered, the write-back tells the source and the people what became of it (dead-letter reasons
/// included); a redelivered message posts nothing twice, and a write-back that fails never changes the settlement.
/// </summary>
public sealed partial class RevocationQueueHandler(
    PayloadParser parser,
    RevocationPipeline pipeline,
    RequestIntake intake,
    UserNameLogFormatter names,
    FollowUpPlanner planner,
    IRevocationQueue queue,
    WriteBackOutbox writeBack,
    ILogger<RevocationQueueHandler> logger)
{
    public async Task<QueueSettlement> HandleAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settlement);
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
        try
        {
            result = await pipeline.ProcessAsync(payload, context, cancellationToken);
            if (result.LedgerPending)
                result = await pipeline.RecordPendingAsync(result, context, cancellationToken);
            plan = planner.Plan(result, work);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(logger, envelope.RequestId, message.MessageId, envelope.Attempt);
            return await AbandonAsync(message, settlement, envelope);
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
            return await AbandonAsync(message, settlement, envelope);
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
        await settlement.CompleteMessageAsync(message, CancellationToken.None);
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
    private async Task WriteBackAsync(RequestOutcome outcome, CancellationToken cancellationToken) =>
        await writeBack.RecordAsync(outcome, cancellationToken);

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
        await settlement.DeadLetterMessageAsync(message, notice.Properties, notice.Reason.ToString(), notice.Description, CancellationToken.None);
        LogDeadLettered(logger, envelope.RequestId, message.MessageId, envelope.Attempt, notice.Reason, names.Redact(notice.Description)!);
        return new QueueSettlement(QueueSettlementKind.DeadLettered, notice.Reason, followUps);
    }

    private static async Task<QueueSettlement> AbandonAsync(ServiceBusReceivedMessage message, IMessageSettlement settlement, RevocationEnvelope envelope)
    {
        // Stamping the identity keeps the request ID and first-arrival time stable across the redelivery.
        await settlement.AbandonMessageAsync(message, envelope.ToProperties(), CancellationToken.None);
        return new QueueSettlement(QueueSettlementKind.Abandoned, null, 0);
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
        Message = "Queue message {MessageId} (request {RequestId}) abandoned: its follow-up messages could not be sent")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception exception, string requestId, string? messageId);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error,
        Message = "Queue message {MessageId} (request {RequestId}, attempt {Attempt}): the pipeline failed; the attempt is treated as transient")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception, string requestId, string? messageId, int attempt);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information,
        Message = "Request {RequestId}: sent {Subject} message {FollowUpMessageId} due {DueAt} for {PendingTargets} target(s)")]
    private static partial void LogFollowUpSent(ILogger logger, string requestId, string followUpMessageId, string? subject, DateTimeOffset? dueAt, int pendingTargets);
}
