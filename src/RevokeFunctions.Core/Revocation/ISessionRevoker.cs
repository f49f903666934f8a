namespace RevokeFunctions.Revocation;

/// <summary>Ends a user's sign-in sessions (Graph <c>POST /users/{id}/revokeSignInSessions</c>).</summary>
public interface ISessionRevoker
{
    Task<RevokeAttempt> RevokeAsync(string userId, CancellationToken cancellationToken);
}
