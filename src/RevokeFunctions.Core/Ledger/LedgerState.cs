namespace RevokeFunctions.Ledger;

/// <summary>
/// Where one target of one request stands: <c>Received → Revoking → Revoked | AlreadyRevoked | Refused | NotFound |
/// Failed | Deferred | Superseded | Cancelled</c>. The final names are the <see cref="Revocation.Outcome"/> names; a final row other than
/// Revoked or AlreadyRevoked is decided again when the request comes back (a fixed permission, a reached due date).
/// </summary>
public enum LedgerState
{
    /// <summary>A request is working on the target; nothing has been decided yet.</summary>
    Received,

    /// <summary>
    /// Claimed by one instance, which is calling Graph now: the intent, written before the call. Others wait for it,
    /// or take it over once <see cref="LedgerOptions.ClaimTimeout"/> has passed.
    /// </summary>
    Revoking,

    Revoked,
    AlreadyRevoked,
    Refused,
    NotFound,
    Failed,
    Deferred,
    Superseded,
    Cancelled,
}
