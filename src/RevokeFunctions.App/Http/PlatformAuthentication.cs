using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.App.Http;

/// <summary>
/// Whether App Service Authentication fronts this app, as the platform itself says: it sets <c>WEBSITE_AUTH_ENABLED</c>
/// to <c>True</c> while authentication is on. Only then has the platform removed any <c>X-MS-CLIENT-PRINCIPAL</c> a
/// client sent; with it off (disabled in the portal, a redeploy that dropped the auth settings) the header is whatever
/// the caller wrote, so the app trusts no caller at all rather than a forgeable one.
/// </summary>
public sealed partial class PlatformAuthentication(IConfiguration configuration, ILogger<PlatformAuthentication> logger) : IHostedService
{
    public const string Setting = "WEBSITE_AUTH_ENABLED";

    public bool IsEnabled { get; } = string.Equals(configuration?[Setting], "True", StringComparison.OrdinalIgnoreCase);

    /// <summary>Says so at start-up, once, where an operator looks first: every HTTP call will be refused.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled)
            LogNotEnabled(logger, Setting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 63, Level = LogLevel.Error,
        Message = "App Service Authentication is not on for this app ({Setting} is not True): every HTTP call is refused with 401 "
            + "authentication-not-configured, because nothing vouches for the caller. Turn it on (azd provision deploys it) before sending requests")]
    private static partial void LogNotEnabled(ILogger logger, string setting);
}
