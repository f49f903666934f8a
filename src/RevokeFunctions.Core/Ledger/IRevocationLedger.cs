namespace RevokeFunctions.Ledger;

/// <summary>
/// The revocation ledger: one row per (request, target user), moved through <see cref="LedgerState"/> with optimistic
/// concurrency, so two instances holding the same duplicate cannot both call Graph. Every method throws
/// <see cref="LedgerUnavailableException"/> when the store cannot be reached; losing a race is a null, not an error.
/// </summary>
public interface IRevocationLedger
{
    /// <summary>False when no store is configured (the CLI without <c>Ledger</c> settings): nothing is recorded.</summary>
    bool IsConfigured { get; }

    Task<LedgerEntry?> FindAsync(LedgerKey key, CancellationToken cancellationToken);

    /// <summary>Inserts the row; null when a row with its key exists already.</summary>
    Task<LedgerEntry?> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row if it is unchanged since it was read (<see cref="LedgerEntry.ETag"/>); null when another writer
    /// changed or removed it first. Claims (<see cref="LedgerState.Revoking"/>) and decisions are both written this way.
    /// </summary>
    Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken);

    /// <summary>Links a request to a row, at the entry's <see cref="LedgerEntry.Position"/>, so the status API lists it.</summary>
    Task LinkAsync(string requestId, LedgerEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a request's link to a row, for a target the request turned out not to own (the same person named twice).
    /// A store that keeps no links has nothing to remove.
    /// </summary>
    Task UnlinkAsync(string requestId, LedgerKey key, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Records the proof of a row's revocation (its <c>Verification</c> columns only, whatever else changed since); false
    /// when the row is gone. A store that keeps nothing records nothing.
    /// </summary>
    Task<bool> RecordVerificationAsync(LedgerKey key, Verification.VerificationStatus verification, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>
    /// The rows a request is linked to, in payload order, each with the user as that request gave it; empty when the
    /// request is unknown.
    /// </summary>
    Task<IReadOnlyList<LedgerEntry>> ListAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Deletes every row and link last written before <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}
