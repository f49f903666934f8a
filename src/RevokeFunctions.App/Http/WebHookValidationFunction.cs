using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.App.Http;

/// <summary>
/// <c>OPTIONS /api/revocations</c>: the CloudEvents 1.0 webhook validation handshake (abuse protection) that an Event
/// Grid subscription with CloudEvents delivery performs before it sends anything. A sender naming an allowed origin in
/// <c>WebHook-Request-Origin</c> gets <c>WebHook-Allowed-Origin</c> back and, when it asked for a rate, a
/// <c>WebHook-Allowed-Rate</c>; anyone else gets no consent headers, which is a refusal whatever the status.
/// </summary>
/// <remarks>
/// Anonymous on purpose: the handshake carries no body and grants nothing but the right to try to deliver; every
/// delivery (<c>POST</c>) is still authenticated by App Service Authentication and authorised by the app role. Event
/// Grid's Entra-authenticated delivery is documented to put its token on deliveries, not on this request, so it must
/// be reachable without one (see the README's Sources section).
/// </remarks>
public sealed partial class WebHookValidationFunction(IOptions<WebHookValidationOptions> options, ILogger<WebHookValidationFunction> logger)
{
    public const string RequestOriginHeader = "WebHook-Request-Origin";
    public const string RequestRateHeader = "WebHook-Request-Rate";
    public const string AllowedOriginHeader = "WebHook-Allowed-Origin";
    public const string AllowedRateHeader = "WebHook-Allowed-Rate";

    [Function("ValidateWebHook")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "options", Route = "revocations")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.HttpContext.Response.Headers.Allow = "OPTIONS, POST";
        var requested = request.Headers[RequestOriginHeader].ToString();
        if (requested.Length == 0)
            return new StatusCodeResult(StatusCodes.Status204NoContent);
        if (!IsDnsName(requested))
        {
            LogRefused(logger, "malformed");
            return new StatusCodeResult(StatusCodes.Status400BadRequest);
        }

        var settings = options.Value;
        var allowed = settings.AllowedOrigins.Any(o => o == "*" || string.Equals(o, requested, StringComparison.OrdinalIgnoreCase));
        if (!allowed)
        {
            LogRefused(logger, requested);
            return new StatusCodeResult(StatusCodes.Status403Forbidden);
        }

        var headers = request.HttpContext.Response.Headers;
        headers[AllowedOriginHeader] = requested;
        if (request.Headers.ContainsKey(RequestRateHeader))
        {
            var rate = int.TryParse(request.Headers[RequestRateHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var asked)
                && asked > 0 ? Math.Min(asked, settings.MaxRatePerMinute) : settings.MaxRatePerMinute;
            headers[AllowedRateHeader] = rate.ToString(CultureInfo.InvariantCulture);
        }
        LogGranted(logger, requested);
        return new StatusCodeResult(StatusCodes.Status200OK);
    }

    /// <summary>A DNS name (what the spec says the origin is): letters, digits, hyphens and dots, at most 253 characters.</summary>
    private static bool IsDnsName(string value) =>
        value.Length <= 253 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && !value.StartsWith('.') && !value.EndsWith('.');

    [LoggerMessage(EventId = 67, Level = LogLevel.Information, Message = "Webhook validation handshake: consent given to origin {Origin}")]
    private static partial void LogGranted(ILogger logger, string origin);

    [LoggerMessage(EventId = 68, Level = LogLevel.Warning, Message = "Webhook validation handshake: no consent for origin {Origin}")]
    private static partial void LogRefused(ILogger logger, string origin);
}
