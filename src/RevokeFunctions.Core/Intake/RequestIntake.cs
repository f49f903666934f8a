using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Intake;

/// <summary>
/// One intake record per request, read by every attempt. At intake (HTTP, or a submitter's own queue message) the
/// idempotency key is bound to the body and the caller, as the IETF <c>Idempotency-Key</c> draft has it: the same key
/// with the same body is the same request again; with another body it is refused and revokes nobody. Before a request
/// is handed to the queue its record is written, so the queued retry runs with the first attempt's authority, but only
/// if the message's body hashes the same: anyone with <i>Data Sender</i> on the queue can name a request ID.
/// </summary>
public sealed partial class RequestIntake(IntakeStore store, IOptions<RevocationOptions> options, TimeProvider time, ILogger<RequestIntake> logger)
{
    /// <summary>The caller scope of keys (MessageIds) on the queue, whose senders have no identity the app can see.</summary>
    public const string QueueCaller = "queue";

    public async Task<IntakeAdmission> AdmitAsync(RevocationContext context, string callerScope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(callerScope);
        if (context.IdempotencyKey is not { Length: > 0 } key || context.BodySha256 is not { } hash || !store.IsConfigured)
            return new IntakeAdmission(context, IdempotencyKeyStatus.Unchecked);

        IdempotencyKeyClaim claim;
        try
        {
            claim = await store.ClaimKeyAsync(callerScope, key, hash, context.RequestId, time.GetUtcNow(), options.Value.IdempotencyKeyWindow,
                cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            // A revocation never waits for the ledger: the request goes on, only its key is not bound this time.
            LogKeyUnchecked(logger, context.RequestId, context.Channel, ex.Message);
            return new IntakeAdmission(context, IdempotencyKeyStatus.Unchecked);
        }

        if (claim.Status == IdempotencyKeyStatus.Reused)
        {
            LogKeyReused(logger, context.RequestId, context.Channel, claim.FirstRequestId);
            return new IntakeAdmission(context, claim.Status, Reused(context, claim));
        }
        if (claim.Status == IdempotencyKeyStatus.Replay)
            LogKeyReplayed(logger, context.RequestId, context.Channel, claim.FirstRequestId);
        return new IntakeAdmission(context with { KeyGeneration = claim.Generation }, claim.Status);
    }

    /// <summary>
    /// Writes the request's intake record before any of it is queued. False when it could not be written: a queued
    /// retry would then run as automation.
    /// </summary>
    public async Task<bool> RecordAsync(RevocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!store.IsConfigured || IntakeRecord.From(context) is not { } record)
            return false;
        try
        {
            await store.SaveAsync(record, cancellationToken);
            return true;
        }
        catch (LedgerUnavailableException ex)
        {
            LogNotRecorded(logger, context.RequestId, ex.Message);
            return false;
        }
    }

    /// <summary>A queued attempt naming <see cref="RevocationContext.RequestId"/>: its first attempt's caller, if the body matches.</summary>
    public async Task<(IntakeResumption Resumption, RevocationContext Context)> ResumeAsync(RevocationContext attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!store.IsConfigured)
            return (IntakeResumption.Missing, attempt);
        IntakeRecord? record;
        try
        {
            record = await store.FindAsync(attempt.RequestId, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            LogNotRestored(logger, attempt.RequestId, ex.Message);
            return (IntakeResumption.Unavailable, attempt);
        }
        if (record is null)
            return (IntakeResumption.Missing, attempt);
        if (!string.Equals(record.BodySha256, attempt.BodySha256, StringComparison.Ordinal))
        {
            LogBodyMismatch(logger, attempt.RequestId);
            return (IntakeResumption.Mismatch, attempt);
        }
        return (IntakeResumption.Restored, record.Restore(attempt));
    }

    private PayloadError Reused(RevocationContext context, IdempotencyKeyClaim claim)
    {
        var name = context.Channel == RequestChannel.Queue ? "MessageId" : "Idempotency-Key";
        var window = options.Value.IdempotencyKeyWindow;
        return new PayloadError(ReasonCode.IdempotencyKeyReused, PayloadErrorKind.IdempotencyKeyReused,
            $"This {name} was used by request {claim.FirstRequestId} with a different body; a key names one request for {Describe(window)} "
            + $"(Revocation:IdempotencyKeyWindow, until {claim.ExpiresAt:O}). Nobody was revoked by this request: send it with a new key, "
            + "or send the original body again to get the original request's outcome.");
    }

    private static string Describe(TimeSpan window) =>
        window.TotalHours >= 1 && window.TotalHours == Math.Floor(window.TotalHours) ? $"{window.TotalHours:0} h" : $"{window.TotalMinutes:0.#} min";

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning,
        Message = "Request {RequestId} via {Channel} refused: its idempotency key names request {FirstRequestId}, which had a different body")]
    private static partial void LogKeyReused(ILogger logger, string requestId, RequestChannel channel, string? firstRequestId);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information,
        Message = "Request {RequestId} via {Channel} repeats request {FirstRequestId} (same idempotency key, same body)")]
    private static partial void LogKeyReplayed(ILogger logger, string requestId, RequestChannel channel, string? firstRequestId);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning,
        Message = "Request {RequestId} via {Channel}: its idempotency key could not be checked ({Problem}); the request goes on unbound")]
    private static partial void LogKeyUnchecked(ILogger logger, string requestId, RequestChannel channel, string problem);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning,
        Message = "Request {RequestId}: its intake record could not be written ({Problem}); a queued retry runs as automation")]
    private static partial void LogNotRecorded(ILogger logger, string requestId, string problem);

    [LoggerMessage(EventId = 124, Level = LogLevel.Warning,
        Message = "Request {RequestId}: its intake record could not be read ({Problem}); this attempt runs as automation")]
    private static partial void LogNotRestored(ILogger logger, string requestId, string problem);

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning,
        Message = "A queue message names request {RequestId} but its body differs from the one that request recorded: treated as a new request from automation")]
    private static partial void LogBodyMismatch(ILogger logger, string requestId);
}
