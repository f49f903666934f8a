using RevokeFunctions.Ledger;

namespace RevokeFunctions.Leavers;

/// <summary>
/// Where leaver plans live: the ledger's table (<see cref="TableLeaverPlanStore"/>). This base is the store when no
/// ledger is configured (the CLI on a laptop): no plans are kept, and leavers are decided message by message as before.
/// Members throw <see cref="LedgerUnavailableException"/> when the store cannot be reached; losing a race is a null.
/// </summary>
public class LeaverPlanStore
{
    public virtual bool IsConfigured => false;

    public virtual Task<LeaverPlan?> FindAsync(string userId, CancellationToken cancellationToken) => Task.FromResult<LeaverPlan?>(null);

    /// <summary>Inserts the plan; null when the employee has one already.</summary>
    public virtual Task<LeaverPlan?> TryAddAsync(LeaverPlan plan, CancellationToken cancellationToken) => Task.FromResult<LeaverPlan?>(plan);

    /// <summary>Replaces the plan if it is unchanged since read (<see cref="LeaverPlan.ETag"/>); null when another writer was first.</summary>
    public virtual Task<LeaverPlan?> TryReplaceAsync(LeaverPlan plan, CancellationToken cancellationToken) => Task.FromResult<LeaverPlan?>(plan);
}
