namespace RevokeFunctions.Ledger;

/// <summary>
/// No <c>Ledger</c> settings (the CLI on a laptop, a sandbox demo): nothing is recorded and nothing is looked up, so
/// only Graph's own timestamp guards against repeats. The app refuses to start like this in Azure
/// (<see cref="LedgerOptionsValidator"/>).
/// </summary>
public sealed class UnconfiguredRevocationLedger : IRevocationLedger
{
    private const string Message =
        "The revocation ledger is not configured: set Ledger__connectionString=UseDevelopmentStorage=true (Azurite) or "
        + "Ledger__serviceUri=https://<account>.table.core.windows.net.";

    public bool IsConfigured => false;

    public Task<LedgerEntry?> FindAsync(LedgerKey key, CancellationToken cancellationToken) => throw Unavailable();

    public Task<LedgerEntry?> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken) => throw Unavailable();

    public Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken) => throw Unavailable();

    public Task LinkAsync(string requestId, LedgerEntry entry, CancellationToken cancellationToken) => throw Unavailable();

    public Task<IReadOnlyList<LedgerEntry>> ListAsync(string requestId, CancellationToken cancellationToken) => throw Unavailable();

    public Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => throw Unavailable();

    private static LedgerUnavailableException Unavailable() => new(Message);
}
