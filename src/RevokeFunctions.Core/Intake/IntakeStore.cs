using RevokeFunctions.Ledger;

namespace RevokeFunctions.Intake;

/// <summary>
/// Where intake records and idempotency-key records live: the ledger's table (<see cref="TableIntakeStore"/>). This
/// base is the store when no ledger is configured (the CLI on a laptop): nothing is kept, keys are not checked.
/// Members throw <see cref="LedgerUnavailableException"/> when the store cannot be reached.
/// </summary>
public class IntakeStore
{
    public virtual bool IsConfigured => false;

    /// <summary>The request's intake record; null when none was made.</summary>
    public virtual Task<IntakeRecord?> FindAsync(string requestId, CancellationToken cancellationToken) =>
        Task.FromResult<IntakeRecord?>(null);

    /// <summary>Writes the record unless the request has one already (the first writer's stands).</summary>
    public virtual Task SaveAsync(IntakeRecord record, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Binds <paramref name="key"/>, for <paramref name="callerScope"/>, to a body for a window: a new record when there
    /// is none or the old one has expired, else the record's verdict on this body.
    /// </summary>
    public virtual Task<IdempotencyKeyClaim> ClaimKeyAsync(
        string callerScope, string key, string bodySha256, string requestId, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken) =>
        Task.FromResult(IdempotencyKeyClaim.Unchecked);
}
