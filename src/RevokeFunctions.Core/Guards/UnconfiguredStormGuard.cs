namespace RevokeFunctions.Guards;

/// <summary>
/// The storm guard where no Table storage is configured (no <c>Ledger</c> section: a developer's machine, the CLI).
/// People are not limited anyway; automated requests fail closed, because without the shared count nothing caps them.
/// </summary>
public sealed class UnconfiguredStormGuard : IStormGuard
{
    public Task<StormGuardDecision> AdmitAsync(StormGuardRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(request.Origin == RequestOrigin.Person || request.UserIds.Count == 0
            ? StormGuardDecision.Unlimited
            : StormGuardDecision.Unavailable(
                "The storm guard has no storage: set Ledger:serviceUri (Azure) or Ledger:connectionString (Azurite). "
                + "Automated requests are not revoked without it; people (CLI, HTTP with the submit role) are not limited."));
    }
}
