using RevokeFunctions.Graph;

namespace RevokeFunctions.Guards;

/// <summary>Whether a user is protected, and why; or that it could not be told (<see cref="Failure"/>).</summary>
/// <param name="Because">For the audit trail: the setting or the protected group that protects the user.</param>
public sealed record ProtectionStatus(bool IsProtected, string? Because = null, GraphFailure? Failure = null)
{
    public static readonly ProtectionStatus Unprotected = new(false);

    /// <summary>Graph could not say. Callers must not revoke on this: the check fails closed.</summary>
    public bool IsUnknown => Failure is not null;

    public static ProtectionStatus Protected(string because) => new(true, because);

    public static ProtectionStatus Unknown(GraphFailure failure) => new(false, null, failure);
}
