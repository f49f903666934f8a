using System.Diagnostics;
using Microsoft.Graph;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using RevokeFunctions.Graph;
using RevokeFunctions.Telemetry;

namespace RevokeFunctions.Revocation;

/// <summary>
/// Calls revokeSignInSessions on the canonical object ID. Graph documents the answer's <c>value</c> as always true, so
/// any 2xx is success; the call is idempotent on Graph's side (it moves signInSessionsValidFromDateTime to now).
/// </summary>
public sealed class GraphSessionRevoker(GraphServiceClient graph, RevocationMetrics metrics) : ISessionRevoker
{
    private const string Operation = "revokeSignInSessions";

    public async Task<RevokeAttempt> RevokeAsync(string userId, CancellationToken cancellationToken)
    {
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var started = Stopwatch.GetTimestamp();
        try
        {
            await graph.Users[userId].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync(
                r => r.Options.Add(headers), cancellationToken);
            metrics.GraphCall(Operation, Stopwatch.GetElapsedTime(started), 200);
            var requestId = headers.ResponseHeaders.TryGetValue("request-id", out var values) ? values.FirstOrDefault() : null;
            return RevokeAttempt.Success(requestId);
        }
        catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
        {
            metrics.GraphCall(Operation, Stopwatch.GetElapsedTime(started), failure.StatusCode);
            if (failure.Kind == GraphFailureKind.Throttled)
                metrics.GraphThrottled(Operation);
            return RevokeAttempt.Fail(failure);
        }
    }
}
