using RevokeFunctions.Leavers;

namespace RevokeFunctions.Ledger;

/// <summary>
/// What the status API and <c>revoke status</c> show for a request: its ledger rows, and for an HR message the
/// employee's plan as it stands now (a leaver superseded or cancelled before its scheduled copy fires shows so).
/// </summary>
public sealed class RevocationStatusReader(IRevocationLedger ledger, LeaverPlans plans)
{
    public bool IsConfigured => ledger.IsConfigured;

    /// <summary>The request's targets in payload order; empty when the ledger has no such request.</summary>
    /// <exception cref="LedgerUnavailableException">The ledger could not be read.</exception>
    public async Task<IReadOnlyList<TargetStatus>> ReadAsync(string requestId, CancellationToken cancellationToken)
    {
        var entries = await ledger.ListAsync(requestId, cancellationToken);
        var statuses = new TargetStatus[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var status = TargetStatus.From(entry);
            if (entry.LeaverMessage is not null)
                status = status with { Plan = LeaverPlanStatus.For(requestId, entry, await PlanOfAsync(entry, cancellationToken)) };
            statuses[i] = status;
        }
        return statuses;
    }

    private async Task<LeaverPlan?> PlanOfAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        if (!plans.IsKept || entry.UserId is not { } userId)
            return null;
        try
        {
            return await plans.FindAsync(userId, cancellationToken);
        }
        catch (LedgerUnavailableException)
        {
            // The row itself is still worth showing; the plan's current state is left out.
            return null;
        }
    }
}
