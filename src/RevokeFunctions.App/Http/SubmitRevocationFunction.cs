using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;
using RevokeFunctions.Intake;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.App.Http;

/// <summary>
/// <c>POST /api/revocations</c>: a thin adapter from HTTP to the revocation pipeline. What it cannot finish now (a
/// transient Graph failure, an HR leaver not yet due) it hands to the revocation queue and answers 202; if the queue
/// will not take it either, 503 with Retry-After, so the caller knows nothing is pending and sends again. Once the
/// answer is decided, what the source and the people are to be told is recorded in the outbox
/// (<see cref="WriteBackOutbox"/>), which never changes the answer; a function of its own delivers it.
/// </summary>
public sealed partial class SubmitRevocationFunction(
    RevocationPipeline pipeline,
    PayloadParser parser,
    RequestIntake intake,
    FollowUpPlanner planner,
    IRevocationQueue queue,
    IOptions<PayloadLimits> limits,
    PlatformAuthentication platform,
    WriteBackOutbox writeBack,
    TimeProvider time,
    ILogger<SubmitRevocationFunction> logger)
{
    [Function("SubmitRevocation")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "revocations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("D");
        // Who is asking comes first: a caller turned away has nothing of its body read.
        var caller = CallerAuthorization.Decide(request.Headers, platform);
        if (!caller.IsAllowed)
        {
            LogCallerRefused(logger, requestId, caller.Verdict);
            return RevocationHttpResults.CallerRefused(caller, requestId);
        }

        if (!RequestBody.IsJson(request.ContentType, out var mediaProblem))
            return RevocationHttpResults.Problem(PayloadError.Invalid(PayloadErrorKind.UnsupportedMediaType, mediaProblem), requestId);

        var maxBytes = limits.Value.MaxBodyBytes;
        var body = await RequestBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return RevocationHttpResults.Problem(PayloadError.Invalid(PayloadErrorKind.TooLarge,
                $"The body is larger than {maxBytes} bytes (Limits:MaxBodyBytes); nothing was read or revoked."), requestId);
        }

        if (CloudEventBatch.IsBatch(request.ContentType))
            return await SubmitBatchAsync(request, requestId, caller, body.Value, cancellationToken);
        return await SubmitAsync(request, requestId, caller, body.Value, IdempotencyKey(request), cancellationToken);
    }

    /// <summary>
    /// A CloudEvents batch is several requests in one body: each event is answered as if sent alone (its own request ID,
    /// intake, ledger rows, queue follow-ups and write-back), in batch order, and the batch gets one answer listing them.
    /// </summary>
    private async Task<IActionResult> SubmitBatchAsync(
        HttpRequest request, string requestId, CallerDecision caller, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var batch = parser.SplitBatch(body);
        if (batch.Error is { } error)
            return RevocationHttpResults.Problem(error, requestId);
        var key = IdempotencyKey(request);
        var answers = new List<(CloudEventBatchItem, string, IActionResult)>(batch.Items.Count);
        foreach (var item in batch.Items)
        {
            var eventRequestId = Guid.NewGuid().ToString("D");
            var answer = item.Error is { } itemError
                ? RevocationHttpResults.Problem(itemError, eventRequestId)
                : await SubmitAsync(request, eventRequestId, caller, item.Body, key is null ? null : $"{key}#{item.Index}", cancellationToken);
            answers.Add((item, eventRequestId, answer));
        }
        LogBatch(logger, requestId, batch.Items.Count);
        return CloudEventBatchResults.From(requestId, answers);
    }

    /// <summary>One request: the pipeline, what it could not finish handed to the queue, then the write-back.</summary>
    private async Task<IActionResult> SubmitAsync(
        HttpRequest request, string requestId, CallerDecision caller, ReadOnlyMemory<byte> body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var context = new RevocationContext(requestId, RequestChannel.Http, time.GetUtcNow())
        {
            DryRun = IsTrue(request.Query["dryRun"]),
            IdempotencyKey = idempotencyKey,
            BodySha256 = IntakeRecord.HashBody(body.Span),
            Requester = caller.Requester,
            CallerIsPerson = caller.IsPerson,
            MayRevokeProtected = caller.MayRevokeProtected,
        };
        var parsed = pipeline.Parse(body, context);
        if (!parsed.Succeeded)
        {
            var invalid = RevocationResult.Invalid(requestId, parsed.Error);
            return context.DryRun
                ? RevocationHttpResults.From(invalid)
                : await WriteBackAsync(RevocationHttpResults.From(invalid), RequestOutcome.ForHttp(context, invalid, []), cancellationToken);
        }
        RevocationResult result;
        try
        {
            // The key names one request: the same body (from the same caller) again is a replay, another body is refused.
            var admission = await intake.AdmitAsync(context, caller.RequesterId ?? "", cancellationToken);
            if (admission.Refusal is { } reused)
                return RevocationHttpResults.Problem(reused, requestId);
            context = admission.Context;

            result = await pipeline.ProcessAsync(parsed.Payload, context, cancellationToken);
            if (result.LedgerPending)
                result = await pipeline.RecordPendingAsync(result, context, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Every store and Graph call classifies its own failures; this is the backstop, so that whatever still
            // escapes is handed to the queue (or answered 503) like the queue trigger treats it, never a bare 500.
            return await HandOverAsync(requestId, context, body, ex, cancellationToken);
        }

        // A dry run is answered as it is: a queued retry could not carry the dry-run flag. It writes nothing back either.
        if (context.DryRun)
            return RevocationHttpResults.From(result);
        if (result.Error is not null)
            return await WriteBackAsync(RevocationHttpResults.From(result), RequestOutcome.ForHttp(context, result, []), cancellationToken);
        var envelope = new RevocationEnvelope(requestId, context.IdempotencyKey ?? requestId, context.ReceivedAt, Attempt: 1, PendingTargets: []);
        var plan = planner.Plan(result, new QueueWork(BinaryData.FromBytes(body), envelope) { SubjectPrefix = "http-" });
        if (plan.FollowUps.Count == 0)
            return await WriteBackAsync(RevocationHttpResults.From(result), RequestOutcome.ForHttp(context, result, []), cancellationToken);

        try
        {
            // The queued retry restores the caller's authority from this record. Without it a person's retry would run as
            // automation (refused for a protected account, storm-guarded), so such a request is not queued blind.
            if (!await intake.RecordAsync(context, cancellationToken) && (context.CallerIsPerson || context.MayRevokeProtected))
                throw new RevocationQueueUnavailableException("The request's intake record could not be written, so a queued retry would lose the caller's authority.");
            foreach (var followUp in plan.FollowUps)
                await queue.SendAsync(followUp, cancellationToken);
        }
        catch (RevocationQueueUnavailableException ex)
        {
            LogNotQueued(logger, ex, requestId, plan.FollowUps.Sum(f => f.Envelope.PendingTargets.Count));
            // The unfinished targets wait for the caller to send the request again, which writes back the rest.
            return await WriteBackAsync(RevocationHttpResults.NotQueued(result), RequestOutcome.ForHttp(context, result, plan.FollowUps), cancellationToken);
        }
        LogQueued(logger, requestId, plan.FollowUps.Count);
        return await WriteBackAsync(RevocationHttpResults.Queued(result, plan.FollowUps), RequestOutcome.ForHttp(context, result, plan.FollowUps),
            cancellationToken);
    }

    /// <summary>The whole request on the queue as its next attempt (202), or 503 with Retry-After when the queue refuses.</summary>
    private async Task<IActionResult> HandOverAsync(string requestId, RevocationContext context, ReadOnlyMemory<byte> body, Exception failure,
        CancellationToken cancellationToken)
    {
        var envelope = new RevocationEnvelope(requestId, context.IdempotencyKey ?? requestId, context.ReceivedAt, Attempt: 1, PendingTargets: []);
        var plan = planner.PlanFailure(failure, new QueueWork(BinaryData.FromBytes(body), envelope) { SubjectPrefix = "http-" });
        var problem = DependencyFailure.Describe(failure);
        LogPipelineFailed(logger, failure, requestId, problem);
        if (context.DryRun || plan.FollowUps.Count == 0)
            return RevocationHttpResults.DependencyUnavailable(requestId, problem);
        try
        {
            // As for any queued retry: a person's authority must survive it, or the request is not queued blind.
            if (!await intake.RecordAsync(context, cancellationToken) && (context.CallerIsPerson || context.MayRevokeProtected))
                throw new RevocationQueueUnavailableException("The request's intake record could not be written, so a queued retry would lose the caller's authority.");
            foreach (var followUp in plan.FollowUps)
                await queue.SendAsync(followUp, cancellationToken);
        }
        catch (RevocationQueueUnavailableException ex)
        {
            LogNotQueued(logger, ex, requestId, 0);
            return RevocationHttpResults.DependencyUnavailable(requestId, problem);
        }
        LogQueued(logger, requestId, plan.FollowUps.Count);
        return RevocationHttpResults.HandedOver(requestId);
    }

    /// <summary>
    /// Records what the source and the people are to be told in the outbox, then gives the answer unchanged. Nothing
    /// is sent from here: a Functions worker may be frozen once the answer is sent, so the delivery function sends it.
    /// </summary>
    private async Task<IActionResult> WriteBackAsync(IActionResult answer, RequestOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await writeBack.RecordAsync(outcome, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The outbox promises not to throw; if it breaks that promise the decided answer still stands.
            LogWriteBackFailed(logger, ex, outcome.Context.RequestId);
        }
        return answer;
    }

    /// <summary>The IETF draft's <c>Idempotency-Key</c> header; capped so a hostile value cannot bloat the ledger key.</summary>
    private static string? IdempotencyKey(HttpRequest request) =>
        request.Headers["Idempotency-Key"].ToString() is { Length: > 0 and <= 200 } key ? key : null;

    private static bool IsTrue(string? value) => bool.TryParse(value, out var flag) && flag;

    [LoggerMessage(EventId = 66, Level = LogLevel.Information,
        Message = "Revocation batch {RequestId}: {Events} CloudEvents answered, each under its own request ID")]
    private static partial void LogBatch(ILogger logger, string requestId, int events);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Revocation request {RequestId} turned away: caller {Verdict}")]
    private static partial void LogCallerRefused(ILogger logger, string requestId, CallerVerdict verdict);

    [LoggerMessage(EventId = 70, Level = LogLevel.Information,
        Message = "Revocation request {RequestId}: {FollowUps} message(s) put on the revocation queue for the unfinished targets")]
    private static partial void LogQueued(ILogger logger, string requestId, int followUps);

    [LoggerMessage(EventId = 72, Level = LogLevel.Error,
        Message = "Revocation request {RequestId}: the pipeline failed ({Problem}); the whole request goes to the revocation queue")]
    private static partial void LogPipelineFailed(ILogger logger, Exception exception, string requestId, string problem);

    [LoggerMessage(EventId = 73, Level = LogLevel.Error,
        Message = "Revocation request {RequestId}: the write-back failed; the answer is given unchanged")]
    private static partial void LogWriteBackFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(EventId = 71, Level = LogLevel.Error,
        Message = "Revocation request {RequestId}: {Targets} unfinished target(s) could not be queued")]
    private static partial void LogNotQueued(ILogger logger, Exception exception, string requestId, int targets);
}
