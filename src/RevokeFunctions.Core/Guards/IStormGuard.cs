namespace RevokeFunctions.Guards;

/// <summary>Caps how many distinct users automated sources may have revoked within a window, across all instances.</summary>
public interface IStormGuard
{
    /// <summary>
    /// Admits users in the order given until the origin's limit is reached and refuses the rest. Admitted users are
    /// counted (once each per window) unless <see cref="StormGuardRequest.DryRun"/>.
    /// </summary>
    Task<StormGuardDecision> AdmitAsync(StormGuardRequest request, CancellationToken cancellationToken);
}
