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
}
