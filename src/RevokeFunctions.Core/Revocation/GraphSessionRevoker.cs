using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using RevokeFunctions.Graph;

namespace RevokeFunctions.Revocation;

/// <summary>
/// Calls revokeSignInSessions on the canonical object ID. Graph documents the answer's <c>value</c> as always true, so
/// any 2xx is success; the call is idempotent on Graph's side (it moves signInSessionsValidFromDateTime to now).
/// </summary>
public sealed class GraphSessionRevoker(GraphServiceClient graph) : ISessionRevoker
{
    public async Task<RevokeAttempt> RevokeAsync(string userId, CancellationToken cancellationToken)
    {
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        try
        {
            await graph.Users[userId].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync(
                r => r.Options.Add(headers), cancellationToken);
            var requestId = headers.ResponseHeaders.TryGetValue("request-id", out var values) ? values.FirstOrDefault() : null;
            return RevokeAttempt.Success(requestId);
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            return RevokeAttempt.Fail(failure);
        }
    }
}
