using RevokeFunctions.Requests;

namespace RevokeFunctions.Revocation;

/// <summary>The decision for one target user.</summary>
/// <param name="Given">The user as the payload gave it.</param>
/// <param name="UserId">The resolved object ID, when resolution got that far.</param>
public sealed record TargetResult(string Given, string? UserId, Outcome Outcome, ReasonCode? Reason = null, string? Detail = null)
{
    public string? UserPrincipalName { get; init; }

    /// <summary>The target as parsed; what a retry re-processes.</summary>
    public RequestedTarget? Target { get; init; }

    /// <summary>A failure that may succeed later (throttling, outage); the queue retries it, HTTP defers it to the queue.</summary>
    public bool IsTransient { get; init; }

    /// <summary>How long Graph asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For <see cref="Outcome.Deferred"/>: when the revocation is due.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Graph's <c>request-id</c> for the revocation call, for a support case with Microsoft.</summary>
    public string? GraphRequestId { get; init; }

    /// <summary>
    /// The ledger could not record this outcome (Table storage unavailable): the revocation was not held back, the
    /// decision is in the audit log event, and a retry (or <see cref="RevocationPipeline.RecordPendingAsync"/>) writes it.
    /// </summary>
    public bool LedgerPending { get; init; }

    /// <summary>The outcome comes from the ledger: this request repeats one already handled, and nothing was done again.</summary>
    public bool Replayed { get; init; }

    /// <summary>
    /// A protected account (<c>Guards:ProtectedAccounts</c> or a protected group's member) revoked now, at the request of
    /// a person holding <c>Revocations.Protected</c>; the write-back notifies about every one.
    /// </summary>
    public bool ProtectedAccount { get; init; }

    /// <summary>For <see cref="Outcome.Revoked"/>: when the Graph call started, by our clock (what the proof is measured against).</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>For <see cref="Outcome.Revoked"/>: the user's <c>signInSessionsValidFromDateTime</c> as resolved before the call.</summary>
    public DateTimeOffset? PreviousValidFrom { get; init; }

    /// <summary>
    /// The proof that the revocation took effect (Graph's timestamp read back); null where nothing was revoked or
    /// verification is off. <see cref="Verification.VerificationState.Pending"/> until the verification has read it.
    /// </summary>
    public Verification.VerificationStatus? Verification { get; init; }

    /// <summary>The check the pipeline scheduled for this revocation, for a caller that waits for it (the CLI).</summary>
    public Verification.VerificationTicket? VerificationTicket { get; init; }

    /// <summary>For <see cref="Outcome.Superseded"/>: the request whose leaver message is the employee's plan instead.</summary>
    public string? SupersededBy { get; init; }

    /// <summary>For <see cref="Outcome.Cancelled"/> and a leaver rescinded too late: the request whose rescind did it.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>
    /// This attempt revoked the sessions but a later step for the same target (disabling a leaver) failed: the plan
    /// records the revocation, so a rescind arriving before the retry stops only what is left.
    /// </summary>
    public bool SessionsRevoked { get; init; }

    /// <summary>
    /// Revoked, already revoked, deferred, (dry run) would be revoked, or a leaver superseded or cancelled: nothing left
    /// for anyone to do.
    /// </summary>
    public bool IsSuccess => Outcome is Outcome.Revoked or Outcome.AlreadyRevoked or Outcome.Deferred or Outcome.WouldRevoke
        or Outcome.Superseded or Outcome.Cancelled;
}
