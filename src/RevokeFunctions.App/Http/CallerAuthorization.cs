using Microsoft.AspNetCore.Http;

namespace RevokeFunctions.App.Http;

/// <summary>
/// Who may call the HTTP API: a principal from App Service Authentication holding the app role
/// <c>Revocations.Submit</c>; <c>Revocations.Protected</c> in addition lets a person revoke protected accounts. The
/// functions are anonymous to the Functions host (no function key): App Service Authentication is the front door, and
/// the principal header is read only while the platform says it is on. A person is a signed-in user's delegated token;
/// an app-only token is automation, whatever its roles.
/// </summary>
public static class CallerAuthorization
{
    public const string SubmitRole = "Revocations.Submit";
    public const string ProtectedRole = "Revocations.Protected";

    public static CallerDecision Decide(IHeaderDictionary headers, PlatformAuthentication platform)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(platform);
        if (!platform.IsEnabled)
        {
            return new CallerDecision(CallerVerdict.AuthenticationNotConfigured, Detail:
                $"App Service Authentication is not on for this app ({PlatformAuthentication.Setting} is not True), so nothing vouches for "
                + "the caller's identity and every request is refused. An administrator must turn it on (azd provision deploys it).");
        }
        var header = headers[ClientPrincipal.HeaderName];
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header.ToString()))
        {
            return new CallerDecision(CallerVerdict.Unauthenticated, Detail:
                "The request carries no signed-in caller. Call with a Microsoft Entra ID token for this app (audience "
                + "api://<API app client ID>) whose identity holds the app role " + SubmitRole + ".");
        }
        // Two principal headers cannot come from App Service; treat them like a forged one.
        var principal = header.Count == 1 ? ClientPrincipal.Parse(header[0]) : null;
        return Decide(principal);
    }

    public static CallerDecision Decide(ClientPrincipal? principal)
    {
        if (principal is null)
        {
            return new CallerDecision(CallerVerdict.Unauthenticated, Detail:
                "The caller's identity from App Service Authentication could not be read; sign in again with a "
                + "Microsoft Entra ID token for this app.");
        }
        if (!principal.IsInRole(SubmitRole))
        {
            return new CallerDecision(CallerVerdict.Forbidden, Detail:
                $"The caller is signed in but does not hold the app role {SubmitRole}; ask an administrator to assign it.");
        }
        return new CallerDecision(
            CallerVerdict.Allowed,
            Describe(principal),
            principal.ObjectId ?? principal.AppId,
            IsPerson: principal.IsUser,
            MayRevokeProtected: principal.IsInRole(ProtectedRole));
    }

    /// <summary>"Name (oid …, app …)": the name for people reading the audit trail, the IDs for certainty.</summary>
    private static string Describe(ClientPrincipal principal)
    {
        var ids = string.Join(", ", new[]
        {
            principal.ObjectId is { } oid ? "oid " + oid : null,
            principal.AppId is { } app ? "app " + app : null,
        }.OfType<string>());
        return principal.Name is { } name ? $"{name} ({ids})" : ids;
    }
}
