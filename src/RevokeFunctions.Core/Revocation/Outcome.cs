namespace RevokeFunctions.Revocation;

/// <summary>What became of one target user. The names are the CLI's and the ledger's contract: add, never rename.</summary>
public enum Outcome
{
    Revoked,
    AlreadyRevoked,
    Refused,
    NotFound,
    Invalid,
    Deferred,
    Failed,
    WouldRevoke,

    /// <summary>An HR leaver whose plan a newer leaver message replaced (or a duplicate of one): nothing was done for it.</summary>
    Superseded,

    /// <summary>An HR leaver plan rescinded (<c>leaverRescinded</c>) before it ran: nothing was revoked or disabled.</summary>
    Cancelled,
}
