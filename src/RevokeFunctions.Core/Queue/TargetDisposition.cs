namespace RevokeFunctions.Queue;

/// <summary>What still has to happen for one target after an attempt.</summary>
public enum TargetDisposition
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
