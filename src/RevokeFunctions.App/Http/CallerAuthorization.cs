using Microsoft.AspNetCore.Http;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.App.Http;

/// <summary>
/// Who may call <c>POST /api/revocations</c>: a principal from App Service Authentication holding the app role
/// <c>Revocations.Submit</c>; <c>Revocations.Protected</c> in addition lets a person revoke protected accounts. With
/// <c>Guards:AllowFunctionKeyCallers</c>, a request with no principal at all (the function key got it this far) is
/// accepted as "function-key caller" and treated as automation. A principal that is present but lacks the role is
/// refused either way: an authenticated caller never falls back to the weaker key.
/// </summary>
public static class CallerAuthorization
{
    public const string SubmitRole = "Revocations.Submit";
    public const string ProtectedRole = "Revocations.Protected";
    public const string FunctionKeyRequester = "function-key caller";

    public static CallerDecision Decide(IHeaderDictionary headers, GuardOptions guards)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(guards);
        var header = headers[ClientPrincipal.HeaderName];
        if (header.Count == 0 || string.IsNullOrWhiteSpace(header.ToString()))
        {
            return guards.AllowFunctionKeyCallers
                ? new CallerDecision(CallerVerdict.Allowed, FunctionKeyRequester)
                : new CallerDecision(CallerVerdict.Unauthenticated, Detail:
                    "The request carries no signed-in caller. Call through App Service Authentication with a Microsoft "
                    + "Entra ID token for this app that holds the app role " + SubmitRole + ".");
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
            IsPerson: true,
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
