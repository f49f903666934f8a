namespace RevokeFunctions.Queue;

/// <summary>How one target is settled after an attempt: finished, retried, scheduled, or left in a dead letter.</summary>
public enum TargetSettlement
{
    /// <summary>Nothing: revoked, already revoked, or (dry run) would be revoked.</summary>
    Finished,

    /// <summary>A transient failure, or a finished target the ledger could not record yet: try again after the backoff.</summary>
    Retry,

    /// <summary>Not due yet (an HR leaver's future effective date): schedule it for then.</summary>
    Defer,

    /// <summary>A failure no retry can fix: an operator has to act.</summary>
    DeadLetter,
}
