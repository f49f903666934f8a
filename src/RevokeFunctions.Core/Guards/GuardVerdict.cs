using RevokeFunctions.Revocation;

namespace RevokeFunctions.Guards;

/// <summary>The guards' word on one target that is about to be revoked.</summary>
/// <param name="Stop">The result to record instead of revoking (refused or failed); null to go ahead.</param>
/// <param name="Note">For the audit trail when going ahead is notable: a protected account revoked by a privileged person.</param>
public sealed record GuardVerdict(TargetResult? Stop = null, string? Note = null)
{
    public static GuardVerdict Proceed { get; } = new();
}
