using RevokeFunctions.Ledger;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>
/// The real Table storage ledger with one fault: a crash at a chosen step (<see cref="LedgerFault"/>), once, or an
/// outage (every call fails as the real ledger fails when Table storage is down) while <see cref="Down"/> is set.
/// </summary>
public sealed class FaultyLedger(IRevocationLedger inner) : IRevocationLedger
{
    private int crashes;

    /// <summary>Crash once at this step.</summary>
    public LedgerFault? CrashAt { get; init; }

    /// <summary>Every call fails with <see cref="LedgerUnavailableException"/>, as the real ledger does when Table storage is down.</summary>
    public bool Down { get; set; }

    public bool Crashed => crashes > 0;

    public bool IsConfigured => inner.IsConfigured;

    public Task<LedgerEntry?> FindAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.FindAsync(key, cancellationToken);
    }

    public async Task<LedgerEntry?> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        CrashIf(LedgerFault.BeforeReceive);
        var added = await inner.TryAddAsync(entry, cancellationToken);
        CrashIf(LedgerFault.AfterReceive);
        // A new target's row is inserted already claimed: receiving and claiming are one write.
        if (entry.State == LedgerState.Revoking)
            CrashIf(LedgerFault.AfterClaim);
        return added;
    }

    public async Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        if (entry.State == LedgerState.Revoking)
        {
            var claimed = await inner.TryReplaceAsync(entry, cancellationToken);
            CrashIf(LedgerFault.AfterClaim);
            return claimed;
        }
        CrashIf(LedgerFault.BeforeRecord);
        var recorded = await inner.TryReplaceAsync(entry, cancellationToken);
        CrashIf(LedgerFault.AfterRecord);
        return recorded;
    }

    public Task LinkAsync(string requestId, LedgerEntry entry, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        // The link is the first write of an attempt: "before receive" means before anything is written.
        CrashIf(LedgerFault.BeforeReceive);
        return inner.LinkAsync(requestId, entry, cancellationToken);
    }

    public Task<bool> RecordVerificationAsync(LedgerKey key, RevokeFunctions.Verification.VerificationStatus verification, CancellationToken cancellationToken) =>
        Down ? throw new LedgerUnavailableException("The ledger is down (test).") : inner.RecordVerificationAsync(key, verification, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string requestId, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.ListAsync(requestId, cancellationToken);
    }

    public Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return inner.PurgeAsync(olderThan, cancellationToken);
    }

    private void ThrowIfDown()
    {
        if (Down)
            throw new LedgerUnavailableException("Simulated outage: Table storage does not answer.");
    }

    private void CrashIf(LedgerFault step)
    {
        if (CrashAt == step && Interlocked.Increment(ref crashes) == 1)
            throw new SimulatedCrashException(step);
    }
}
