using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.App.Http;

/// <summary>The CloudEvents webhook validation handshake's consent (section <c>WebHook</c>).</summary>
public sealed class WebHookValidationOptions
{
    public const string SectionName = "WebHook";

    /// <summary>
    /// Senders whose <c>WebHook-Request-Origin</c> gets consent; Event Grid sends <c>eventgrid.azure.net</c>. <c>*</c>
    /// consents to any origin. Consent only lets a sender deliver: every delivery is still authenticated as a caller.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = ["eventgrid.azure.net"];

    /// <summary>The most requests per minute granted when a sender asks (<c>WebHook-Request-Rate</c>).</summary>
    [Range(1, 100_000)]
    public int MaxRatePerMinute { get; set; } = 120;
}
