using RevokeFunctions.Graph;

namespace RevokeFunctions.Revocation;

/// <summary>The answer to one revokeSignInSessions call.</summary>
public sealed record RevokeAttempt(bool Succeeded, GraphFailure? Failure, string? GraphRequestId)
{
    public static RevokeAttempt Success(string? requestId) => new(true, null, requestId);

    public static RevokeAttempt Fail(GraphFailure failure) => new(false, failure, failure.RequestId);
}
