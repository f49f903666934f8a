namespace RevokeFunctions.Users;

/// <summary>The canonical user a target resolved to: the fields the revocation decision needs, nothing more.</summary>
public sealed record DirectoryUser(
    string Id,
    string? UserPrincipalName,
    string? UserType,
    bool? AccountEnabled,
    DateTimeOffset? SignInSessionsValidFrom)
{
    public bool IsGuest => string.Equals(UserType, "Guest", StringComparison.OrdinalIgnoreCase);
}
