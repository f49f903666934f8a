using RevokeFunctions.Users;

namespace RevokeFunctions.Guards;

/// <summary>Tells whether a resolved user is a protected account (<c>Guards:ProtectedAccounts</c>, <c>Guards:ProtectedGroups</c>).</summary>
public interface IProtectedAccountPolicy
{
    Task<ProtectionStatus> CheckAsync(DirectoryUser user, CancellationToken cancellationToken);
}
