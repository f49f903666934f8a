using RevokeFunctions.Revocation;

namespace RevokeFunctions.Queue;

/// <summary>The one place that maps a target's result to what the queue does next.</summary>
public static class TargetDispositions
{
    public static TargetDisposition Of(TargetResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result switch
        {
            { Outcome: Outcome.Deferred, NotBefore: not null } => TargetDisposition.Defer,
            { Outcome: Outcome.Deferred } => TargetDisposition.DeadLetter,
            // Done in Graph but not in the ledger: the retry records it (Graph's timestamp keeps it from revoking again).
            { IsSuccess: true, LedgerPending: true } => TargetDisposition.Retry,
            { IsSuccess: true } => TargetDisposition.Finished,
            { IsTransient: true } => TargetDisposition.Retry,
            _ => TargetDisposition.DeadLetter,
        };
    }
}
