using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.App.Http;

/// <summary>The problem <c>type</c> URIs, status codes and titles: one per kind of error, documented in the README.</summary>
internal static class ProblemTypes
{
    private const string Prefix = "urn:revokefunctions:problem:";

    /// <summary>The status API was asked about a request ID that is not one the app issues.</summary>
    public static readonly (int Status, string Type, string Title) MalformedRequestId =
        (400, Prefix + "malformed-request-id", "The request ID is not well-formed");

    /// <summary>The status API knows no such request.</summary>
    public static readonly (int Status, string Type, string Title) RevocationNotFound =
        (404, Prefix + "revocation-not-found", "No revocation request with this ID is recorded");

    /// <summary>App Service Authentication is off for the app: no caller's identity can be trusted.</summary>
    public static readonly (int Status, string Type, string Title) AuthenticationNotConfigured =
        (401, Prefix + "authentication-not-configured", "Authentication is not configured for this app");

    /// <summary>No usable App Service Authentication principal.</summary>
    public static readonly (int Status, string Type, string Title) Unauthenticated =
        (401, Prefix + "unauthenticated", "The caller is not signed in");

    /// <summary>A signed-in caller without the app role <c>Revocations.Submit</c>.</summary>
    public static readonly (int Status, string Type, string Title) CallerForbidden =
        (403, Prefix + "caller-forbidden", "The caller may not submit revocations");

    /// <summary>The ledger is down or not configured; revocations go on without it.</summary>
    public static readonly (int Status, string Type, string Title) LedgerUnavailable =
        (503, Prefix + "ledger-unavailable", "The revocation ledger is unavailable");

    /// <summary>A store or the app's credential failed before the request had any result, and the queue did not take it.</summary>
    public static readonly (int Status, string Type, string Title) DependencyUnavailable =
        (503, Prefix + "dependency-unavailable", "A service the app depends on is unavailable; retry");

    public static (int Status, string Type, string Title) For(PayloadErrorKind kind) => kind switch
    {
        PayloadErrorKind.EmptyBody => (400, Prefix + "empty-body", "The request body is empty"),
        PayloadErrorKind.MalformedJson => (400, Prefix + "malformed-json", "The request body is not well-formed JSON"),
        PayloadErrorKind.DuplicateProperty => (400, Prefix + "duplicate-property", "The request body repeats a property name"),
        PayloadErrorKind.TooLarge => (413, Prefix + "body-too-large", "The request body is too large"),
        PayloadErrorKind.UnsupportedMediaType => (415, Prefix + "unsupported-media-type", "The request body must be JSON"),
        PayloadErrorKind.UnknownSchema => (422, Prefix + "unknown-schema", "The payload matches no supported format"),
        PayloadErrorKind.SchemaViolation => (422, Prefix + "schema-violation", "The payload breaks its format's rules"),
        PayloadErrorKind.NoTargetUser => (422, Prefix + "no-target-user", "The payload names no user"),
        PayloadErrorKind.InvalidUserIdentifier => (422, Prefix + "invalid-user-identifier", "A user identifier is not valid"),
        PayloadErrorKind.TooManyTargets => (422, Prefix + "too-many-targets", "The payload names too many users"),
        PayloadErrorKind.IdempotencyKeyReused => (422, Prefix + "idempotency-key-reused", "The idempotency key was used for a different request"),
        _ => (400, Prefix + "invalid-payload", "The payload is not valid"),
    };

    public static (int Status, string Type, string Title) For(ReasonCode reason) => reason switch
    {
        ReasonCode.UserNotFound => (404, Prefix + "user-not-found", "The user was not found"),
        ReasonCode.AmbiguousUser => (404, Prefix + "ambiguous-user", "The identifier does not name exactly one user"),
        ReasonCode.GuestUser => (422, Prefix + "guest-user", "Guest users cannot be revoked here"),
        ReasonCode.ProtectedAccount => (403, Prefix + "protected-account", "The account is protected"),
        ReasonCode.RiskNotActive => (422, Prefix + "risk-not-active", "The source reports the user's risk as no longer active"),
        ReasonCode.StormGuard => (429, Prefix + "storm-guard", "Too many automated revocations in the window"),
        ReasonCode.GraphForbidden => (502, Prefix + "graph-forbidden", "Microsoft Graph refused: a permission is missing"),
        ReasonCode.GraphUnauthorized => (502, Prefix + "graph-unauthorized", "Microsoft Graph did not accept the app's identity"),
        ReasonCode.GraphRejected => (502, Prefix + "graph-rejected", "Microsoft Graph rejected the request"),
        ReasonCode.InProgress => (409, Prefix + "revocation-in-progress", "The same request is being processed; retry shortly"),
        ReasonCode.GuardUnavailable => (503, Prefix + "guard-unavailable", "The storm guard could not count; retry later"),
        ReasonCode.LeaverAlreadyExecuted => (409, Prefix + "leaver-already-executed", "The leaver was already executed; a person decides what to restore"),
        ReasonCode.LeaverPlanUnavailable => (503, Prefix + "leaver-plan-unavailable", "The employee's leaver plan could not be read; retry later"),
        ReasonCode.GraphUnavailable or ReasonCode.TransientExhausted =>
            (503, Prefix + "graph-unavailable", "Microsoft Graph is unavailable; retry later"),
        _ => (500, Prefix + "revocation-failed", "The revocation did not complete"),
    };
}
