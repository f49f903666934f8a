using RevokeFunctions.Guards;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// The mass incident's storm guard: admits everyone. The real one stops automated sources after
/// <c>Guards:StormGuard:MaxUsers</c> distinct users per window and dead-letters the rest for review, by design; the
/// scenario measures how fast the app drains the incident once responders have released it.
/// </summary>
internal sealed class AdmittingStormGuard : IStormGuard
{
    public Task<StormGuardDecision> AdmitAsync(StormGuardRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(StormGuardDecision.Unlimited);
}
