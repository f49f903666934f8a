namespace RevokeFunctions.Revocation;

/// <summary>
/// Stable machine codes: the dead-letter reason on the queue, <c>reason</c> in the CLI and HTTP results, the ledger's
/// reason code. docs/operate.md lists what an operator does for each.
/// </summary>
public enum ReasonCode
{
    /// <summary>Not JSON, truncated, duplicate keys, wrong types, bad identifiers: the payload is refused whole.</summary>
    InvalidPayload,

    /// <summary>Valid JSON of no supported shape.</summary>
    UnknownSchema,

    /// <summary>The payload names more users than <c>Guards:MaxTargets</c>; nobody is revoked.</summary>
    TooManyTargets,

    UserNotFound,

    /// <summary>An identifier matches several users, or two identifiers of one target name different users.</summary>
    AmbiguousUser,

    /// <summary>A B2B guest: revokeSignInSessions does not reach sessions its home tenant issued.</summary>
    GuestUser,

    /// <summary>Graph answered 403: the managed identity lacks an application permission (named in the detail).</summary>
    GraphForbidden,

    /// <summary>Graph answered 401: no valid token (identity or tenant misconfigured).</summary>
    GraphUnauthorized,

    /// <summary>Graph refused the request as malformed (400); a defect or an unsupported identifier.</summary>
    GraphRejected,

    /// <summary>Graph throttled (429) or failed (5xx, timeout) after the SDK's retries: transient.</summary>
    GraphUnavailable,

    /// <summary>A transient failure persisted past the configured number of attempts.</summary>
    TransientExhausted,

    /// <summary>An HR leaver whose effective date is still in the future; scheduled for then.</summary>
    NotYetEffective,

    /// <summary>Dry run: everything was checked and the revocation would have been made.</summary>
    DryRun,

    ProtectedAccount,

    StormGuard,

    /// <summary>
    /// A duplicate of this request (same idempotency key, same user) is being revoked by another instance right now;
    /// transient: a retry reads the outcome it records.
    /// </summary>
    InProgress,

    /// <summary>
    /// A guard could not decide (the storm guard's count in Table storage could not be read or written); transient:
    /// nobody is revoked until it can, and a retry asks again.
    /// </summary>
    GuardUnavailable,

    /// <summary>
    /// The idempotency key (HTTP <c>Idempotency-Key</c>, queue <c>MessageId</c>) was used within
    /// <c>Revocation:IdempotencyKeyWindow</c> for a different body: a key names one request. Nobody is revoked by it.
    /// </summary>
    IdempotencyKeyReused,

    /// <summary>
    /// The source itself says the user is no longer at risk (an Entra ID Protection risky user whose <c>riskState</c> is
    /// remediated, dismissed, confirmed safe or none): nobody is revoked, and the request is not a success either.
    /// </summary>
    RiskNotActive,

    /// <summary>
    /// An HR leaver message that is not the employee's current plan: a newer message (by <c>submittedAt</c>, else arrival)
    /// replaced it, or it duplicates the plan that stands. Nothing is revoked or disabled for it.
    /// </summary>
    LeaverSuperseded,

    /// <summary>
    /// An HR leaver plan cancelled by a <c>leaverRescinded</c> message before it ran (on the leaver, and on the rescind
    /// that cancelled it): nothing is revoked or disabled.
    /// </summary>
    LeaverRescinded,

    /// <summary>
    /// A <c>leaverRescinded</c> message came after the leaver's revocation already ran (or while it runs): nothing is
    /// changed in Entra (re-enabling an account is a person's decision), any step still due (disabling) is cancelled,
    /// and an operator is told.
    /// </summary>
    LeaverAlreadyExecuted,

    /// <summary>
    /// The employee's leaver plan (in the ledger's table) could not be read or written; transient: nobody is revoked or
    /// disabled for a leaver until the plan says it is still current, and a retry asks again.
    /// </summary>
    LeaverPlanUnavailable,
}
