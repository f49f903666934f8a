using RevokeFunctions.Requests;

namespace RevokeFunctions.Users;

/// <summary>Finds the one user an identifier names.</summary>
public interface IUserDirectory
{
    Task<UserLookup> FindAsync(UserIdentifier identifier, CancellationToken cancellationToken);
}
