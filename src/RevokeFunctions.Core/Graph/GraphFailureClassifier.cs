using System.Globalization;
using System.Net;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace RevokeFunctions.Graph;

/// <summary>
/// Maps what the Graph SDK throws to a <see cref="GraphFailure"/>. The SDK throws <see cref="ODataError"/> for an error
/// answer, but an <see cref="AggregateException"/> once its retry handler gives up on 429/503, and plain
/// <see cref="HttpRequestException"/>s or timeouts for transport faults, and the credential's own
/// <see cref="AuthenticationFailedException"/> (a managed-identity endpoint that hiccups) before any request is sent; all
/// of them must end as a typed outcome. A credential failure is <see cref="GraphFailureKind.Unavailable"/>: retried, and
/// dead-lettered <c>TransientExhausted</c> naming it if it lasts.
/// </summary>
public static class GraphFailureClassifier
{
    /// <summary>Returns null for exceptions that are not Graph failures (the caller's own cancellation among them).</summary>
    public static GraphFailure? Classify(Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case AggregateException aggregate:
                var inner = aggregate.Flatten().InnerExceptions;
                var last = inner.Count > 0 ? Classify(inner[^1], cancellationToken) : null;
                return last ?? new GraphFailure(GraphFailureKind.Unavailable, null, null,
                    "Graph kept failing after the SDK's retries: " + aggregate.Message);
            case ApiException api:
                return FromApiException(api);
            case AuthenticationFailedException:
                // The type only: the message may quote the identity endpoint's answer.
                return new GraphFailure(GraphFailureKind.Unavailable, null, null,
                    $"The app's credential could not get a token for Graph ({exception.GetType().Name}).");
            case HttpRequestException http:
                return new GraphFailure(GraphFailureKind.Unavailable, (int?)http.StatusCode, null,
                    "Graph could not be reached: " + http.Message);
            case OperationCanceledException or TimeoutException:
                return new GraphFailure(GraphFailureKind.Timeout, null, null, "Graph did not answer in time.");
            default:
                return null;
        }
    }

    private static GraphFailure FromApiException(ApiException api)
    {
        var status = api.ResponseStatusCode;
        var odata = api as ODataError;
        var code = odata?.Error?.Code;
        var message = odata?.Error?.Message ?? api.Message;
        var kind = status switch
        {
            (int)HttpStatusCode.NotFound => GraphFailureKind.NotFound,
            (int)HttpStatusCode.Forbidden => GraphFailureKind.Forbidden,
            (int)HttpStatusCode.Unauthorized => GraphFailureKind.Unauthorized,
            (int)HttpStatusCode.TooManyRequests => GraphFailureKind.Throttled,
            (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.GatewayTimeout => GraphFailureKind.Timeout,
            >= 500 => GraphFailureKind.Unavailable,
            _ => GraphFailureKind.BadRequest,
        };
        return new GraphFailure(kind, status, code, message)
        {
            RetryAfter = ReadRetryAfter(api.ResponseHeaders),
            RequestId = Header(api.ResponseHeaders, "request-id") ?? odata?.Error?.InnerError?.RequestId,
        };
    }

    private static TimeSpan? ReadRetryAfter(IDictionary<string, IEnumerable<string>> headers)
    {
        var value = Header(headers, "Retry-After");
        if (value is null)
            return null;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static string? Header(IDictionary<string, IEnumerable<string>> headers, string name)
    {
        foreach (var (key, values) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return values.FirstOrDefault();
        }
        return null;
    }
}
