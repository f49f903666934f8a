using RevokeFunctions.Requests;

namespace RevokeFunctions.WriteBack;

/// <summary>One webhook post: an event of one request and the targets it concerns.</summary>
/// <param name="Reason">The reason code, for events about a refusal or a dead letter.</param>
/// <param name="Detail">One sentence to act on (the dead letter's description, or the first target's detail).</param>
public sealed record WebhookNotification(
    WebhookEvent Event,
    string RequestId,
    SourceReference? Source,
    IReadOnlyList<OutcomeLine> Lines,
    string? Reason,
    string? Detail)
{
    /// <summary>The event's name on the wire: <c>protected-account-revoked</c>, <c>storm-guard-refused</c>, <c>dead-lettered</c>, <c>revocation-unverified</c>, <c>leaver-rescinded-too-late</c>.</summary>
    public string EventName => Event switch
    {
        WebhookEvent.ProtectedAccountRevoked => "protected-account-revoked",
        WebhookEvent.StormGuardRefused => "storm-guard-refused",
        WebhookEvent.RevocationUnverified => "revocation-unverified",
        WebhookEvent.LeaverRescindedTooLate => "leaver-rescinded-too-late",
        _ => "dead-lettered",
    };

    /// <summary>One line a chat shows as the message.</summary>
    public string Summary
    {
        get
        {
            var from = Source is null ? "" : $" from {Source.Kind}{(Source.Number is { Length: > 0 } n ? " #" + n : "")}";
            var users = Lines.Count == 0 ? "" : ": " + Users;
            return Event switch
            {
                WebhookEvent.ProtectedAccountRevoked => $"Protected account sessions revoked (request {RequestId}{from}){users}.",
                WebhookEvent.StormGuardRefused => $"Storm guard refused {Count} of request {RequestId}{from}{users}.",
                WebhookEvent.RevocationUnverified =>
                    $"Revocation not proven for {Count} of request {RequestId}{from}{users}: Graph's sign-in sessions timestamp did not move; check the user.",
                WebhookEvent.LeaverRescindedTooLate =>
                    $"Leaver rescinded after its revocation ran (request {RequestId}{from}){users}: nothing was changed in Entra; decide whether to re-enable.",
                _ => Lines.Count == 0
                    ? $"Request {RequestId}{from} was dead-lettered ({Reason}); nobody in it was revoked."
                    : $"Request {RequestId}{from} was dead-lettered for {Count}{users}.",
            };
        }
    }

    public string Users => string.Join(", ", Lines.Select(l => l.Name));

    private string Count => Lines.Count == 1 ? "1 user" : $"{Lines.Count} users";
}
