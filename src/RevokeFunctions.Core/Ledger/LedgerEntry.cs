using Azure;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Ledger;

/// <summary>One row of the ledger: one target user of one request, with everything an auditor asks about it.</summary>
/// <param name="Key">Partition (the idempotency scope) and row (the target).</param>
/// <param name="RequestId">The request that first recorded the target; later requests link to the row.</param>
public sealed record LedgerEntry(LedgerKey Key, string RequestId, LedgerState State)
{
    /// <summary>The request that wrote the row last.</summary>
    public string? LastRequestId { get; init; }

    public RequestChannel Channel { get; init; }

    public LedgerScopeKind ScopeKind { get; init; }

    /// <summary>The caller's idempotency key, when it gave one.</summary>
    public string? IdempotencyKey { get; init; }

    public SourceReference Source { get; init; } = new("unknown");

    public DateTimeOffset EventTime { get; init; }

    /// <summary>Who asked, as authenticated.</summary>
    public string? Requester { get; init; }

    /// <summary>The body's <c>requestedBy</c>: an audit note, never identity.</summary>
    public string? RequestedByNote { get; init; }

    /// <summary>The source's reason or title.</summary>
    public string? RequestReason { get; init; }

    /// <summary>The user as the first request gave it.</summary>
    public string? Given { get; init; }

    /// <summary>The validated identifiers (<see cref="Queue.TargetKey"/>).</summary>
    public string? TargetKey { get; init; }

    /// <summary>The canonical object ID, once resolved.</summary>
    public string? UserId { get; init; }

    public string? UserPrincipalName { get; init; }

    /// <summary>The last decided outcome; kept while a retry is <see cref="LedgerState.Revoking"/>.</summary>
    public Outcome? Outcome { get; init; }

    public ReasonCode? Reason { get; init; }

    public string? Detail { get; init; }

    /// <summary>The last failure may pass (throttling, an outage): a queue retry is due.</summary>
    public bool IsTransient { get; init; }

    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>For an HR message: <c>leaver</c> or <c>leaverRescinded</c>; null for every other source.</summary>
    public string? LeaverMessage { get; init; }

    /// <summary>For a leaver that is not the employee's plan: the request whose leaver message stands instead.</summary>
    public string? SupersededBy { get; init; }

    /// <summary>For a cancelled leaver: the request whose <c>leaverRescinded</c> message cancelled it.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>Times the target was claimed to call Graph.</summary>
    public int Attempts { get; init; }

    /// <summary>Graph's <c>request-id</c> of the last revocation call.</summary>
    public string? GraphRequestId { get; init; }

    /// <summary>When the current or last claim was made, by the claimant's clock.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>The request that made that claim.</summary>
    public string? ClaimedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the last revocation call started, by our clock: what its proof is measured against.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The proof of the revocation (<see cref="Verification.VerificationState"/>); null when none is due.</summary>
    public Verification.VerificationStatus? Verification { get; init; }

    /// <summary>The target's place in the payload of the request reading it, for listing in payload order.</summary>
    public int Position { get; init; }

    /// <summary>The row's version, for optimistic concurrency; <see cref="ETag.All"/> before it is stored.</summary>
    public ETag ETag { get; init; } = ETag.All;

    public bool IsFinal => State is not (LedgerState.Received or LedgerState.Revoking);

    /// <summary>The user's sessions are known to be revoked for this row's event: nothing is left to do.</summary>
    /// <remarks>
    /// A superseded or cancelled leaver is not: HR messages repeating one another can share a row (the source scope:
    /// ticket and effective date), and the employee's plan, not the row, says which of them acts.
    /// </remarks>
    public bool IsSettled => State is LedgerState.Revoked or LedgerState.AlreadyRevoked;

    public static LedgerState StateOf(Outcome outcome) => outcome switch
    {
        Revocation.Outcome.Revoked => LedgerState.Revoked,
        Revocation.Outcome.AlreadyRevoked => LedgerState.AlreadyRevoked,
        Revocation.Outcome.Refused => LedgerState.Refused,
        Revocation.Outcome.NotFound => LedgerState.NotFound,
        Revocation.Outcome.Deferred => LedgerState.Deferred,
        Revocation.Outcome.Superseded => LedgerState.Superseded,
        Revocation.Outcome.Cancelled => LedgerState.Cancelled,
        // Invalid and WouldRevoke are never recorded (refused payloads have no targets, dry runs write nothing).
        _ => LedgerState.Failed,
    };
}
