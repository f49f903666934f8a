using System.Text.Json;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Entra ID Protection risky user (Graph <c>riskyUser</c>, <c>GET /identityProtection/riskyUsers</c>), alone
/// or as a page <c>{"value": [...]}</c>: what an automation acting on "user risk is high" sends. The object's <c>id</c>
/// is the user's object ID (strongest), else <c>userPrincipalName</c>; the event time is <c>riskLastUpdatedDateTime</c>.
/// </summary>
/// <remarks>
/// <c>riskState</c> decides: <c>atRisk</c> and <c>confirmedCompromised</c> revoke. Every other state
/// (<c>none</c>, <c>confirmedSafe</c>, <c>remediated</c>, <c>dismissed</c>, anything new) is the source saying the user
/// is not at risk now, so the target is <see cref="Outcome.Refused"/> with <see cref="ReasonCode.RiskNotActive"/>: a
/// page of mixed states revokes exactly the users still at risk, and the others are told apart from a success. A risky
/// user without <c>riskState</c> is a schema violation: without it there is nothing to decide by.
/// </remarks>
public sealed class RiskyUserFormat : IPayloadFormat
{
    public const string FormatKind = "entra-risky-user";

    private static readonly string[] RevokingStates = ["atRisk", "confirmedCompromised"];

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) => IsRiskyUser(root) || GraphPage.Recognizes(root, IsRiskyUser, "riskyUsers");

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("risky user");
        return GraphPage.Parse(root, reader, FormatKind, "a risky user (it has no riskLastUpdatedDateTime)", IsRiskyUser,
            (item, path, collector) => Read(item, path, reader, collector, context),
            page => PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The risky user names no user by Entra object ID (id) or UPN (userPrincipalName).", "$"));
    }

    /// <summary><c>riskLastUpdatedDateTime</c> is the risky user's own member; a risk detection has <c>lastUpdatedDateTime</c>.</summary>
    private static bool IsRiskyUser(JsonElement item) =>
        item.TryGetProperty("riskLastUpdatedDateTime"u8, out _) && !item.TryGetProperty("riskEventType"u8, out _);

    private static SourceReference Read(JsonElement riskyUser, string path, MemberReader reader, TargetCollector collector, PayloadParseContext context)
    {
        var riskLevel = FreeText.Clean(reader.String(riskyUser, "riskLevel", path));
        var riskState = reader.RequiredString(riskyUser, "riskState", path);
        var riskDetail = FreeText.Clean(reader.String(riskyUser, "riskDetail", path));
        var eventTime = reader.Timestamp(riskyUser, "riskLastUpdatedDateTime", path) ?? context.ReceivedAt;
        var state = FreeText.Clean(riskState) ?? "unknown";
        var reason = $"Entra ID Protection risky user: {state} ({riskLevel ?? "unknown"} risk)";

        var picked = AccountIdentity.Pick(reader,
            reader.String(riskyUser, "id", path), MemberReader.Child(path, "id"),
            reader.String(riskyUser, "userPrincipalName", path), MemberReader.Child(path, "userPrincipalName"));
        if (picked is { } target && riskState is not null)
        {
            var refusal = RevokingStates.Contains(riskState, StringComparer.OrdinalIgnoreCase)
                ? null
                : new TargetRefusal(ReasonCode.RiskNotActive,
                    $"Entra ID Protection reports this user's risk as {state}{(riskDetail is null ? "" : $" ({riskDetail})")}, not atRisk "
                    + "or confirmedCompromised, so the sessions were not revoked. If the user is still a threat, revoke by hand "
                    + "or confirm the user compromised in Entra ID Protection and send the risky user again.");
            collector.Add(new RequestedTarget(target.Given, [target.Identifier], eventTime, Reason: reason) { Refusal = refusal });
        }

        // The risky user's ID is the user's: with the event time (riskLastUpdatedDateTime) it names this risk update.
        return new SourceReference(FormatKind, Id: FreeText.Id(reader.String(riskyUser, "id", path)), Severity: riskLevel, Title: reason);
    }
}
