using RevokeFunctions.Revocation;

namespace RevokeFunctions.Queue;

/// <summary>The one place that maps a target's result to what the queue does next.</summary>
public static class TargetSettlements
{
    public static TargetSettlement Of(TargetResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result switch
        {
            { Outcome: Outcome.Deferred, NotBefore: not null } => TargetSettlement.Defer,
            { Outcome: Outcome.Deferred } => TargetSettlement.DeadLetter,
            // Done in Graph but not in the ledger: the retry records it (Graph's timestamp keeps it from revoking again).
            { IsSuccess: true, LedgerPending: true } => TargetSettlement.Retry,
            { IsSuccess: true } => TargetSettlement.Finished,
            { IsTransient: true } => TargetSettlement.Retry,
            _ => TargetSettlement.DeadLetter,
        };
    }
}
