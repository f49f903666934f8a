using System.Globalization;
using System.Text.Json;

namespace RevokeFunctions.GraphSandbox;

/// <summary>An error answer in Graph's shape: <c>{"error":{"code","message","innerError":{...}}}</c>.</summary>
internal sealed record GraphError(int StatusCode, string Code, string Message)
{
    public static GraphError BadRequest(string message) => new(400, "BadRequest", message);

    public static GraphError UnsupportedQuery(string message) => new(400, "Request_UnsupportedQuery", message);

    public static GraphError UserNotFound(string key) => new(404, "Request_ResourceNotFound",
        $"Resource '{key}' does not exist or one of its queried reference-property objects are not present.");

    public static GraphError UnknownRoute(string method, string path) => new(404, "UnknownRoute",
        $"The Graph sandbox does not implement {method} {path}.");

    public static GraphError MethodNotAllowed(string method, string path) => new(405, "Request_BadRequest",
        $"The HTTP method '{method}' is not allowed on {path}.");

    public static GraphError TooManyRequests() => new(429, "TooManyRequests",
        "Too many requests. The application is over its request limit; retry after the interval in Retry-After.");

    public static GraphError FromStatus(int statusCode, string? code = null) =>
        new(statusCode, code ?? DefaultCode(statusCode), DefaultMessage(statusCode));

    public static string DefaultCode(int statusCode) => statusCode switch
    {
        400 => "BadRequest",
        401 => "InvalidAuthenticationToken",
        403 => "Authorization_RequestDenied",
        404 => "Request_ResourceNotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "UnknownError",
    };

    private static string DefaultMessage(int statusCode) => statusCode switch
    {
        400 => "The request is invalid.",
        401 => "Access token is empty or invalid.",
        403 => "Insufficient privileges to complete the operation.",
        404 => "The requested resource does not exist.",
        409 => "The request conflicts with the current state of the resource.",
        412 => "A precondition of the request was not met.",
        429 => "Too many requests. Retry after the interval in Retry-After.",
        500 => "An internal server error occurred.",
        502 => "The gateway received an invalid response.",
        503 => "The service is temporarily unavailable. Please retry later.",
        504 => "The gateway timed out.",
        _ => "The request failed.",
    };

    public void WriteTo(Utf8JsonWriter writer, string requestId, string clientRequestId, DateTimeOffset date)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", Code);
        writer.WriteString("message", Message);
        writer.WriteStartObject("innerError");
        // Graph writes this date without an offset; it is UTC.
        writer.WriteString("date", date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        writer.WriteString("request-id", requestId);
        writer.WriteString("client-request-id", clientRequestId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
