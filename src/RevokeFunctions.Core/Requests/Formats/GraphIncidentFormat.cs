using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Graph security incident (<c>GET /security/incidents/{id}</c>, with or without <c>$expand=alerts</c>).
/// The targets are the user evidence of its expanded alerts, read exactly as a Defender XDR alert's, each with its own
/// alert's creation as event time. Without alerts the incident names no user: <c>assignedTo</c>, comment authors,
/// <c>lastModifiedBy</c> and the incident's tags are people and words around the incident, never its targets.
/// </summary>
public sealed class GraphIncidentFormat : IPayloadFormat
{
    public const string FormatKind = "defender-xdr-incident";

    public string Kind => FormatKind;

    /// <summary>An alert links to its incident too (<c>incidentWebUrl</c>), but only an alert has <c>alertWebUrl</c>.</summary>
    public bool Recognizes(JsonElement root) =>
        root.TryGetProperty("incidentWebUrl"u8, out _) && !root.TryGetProperty("alertWebUrl"u8, out _);

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("Graph security incident");
        var title = FreeText.Clean(reader.String(root, "displayName", "$"));
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(reader.String(root, "id", "$")),
            Url: FreeText.Link(reader.String(root, "incidentWebUrl", "$")),
            Severity: FreeText.Clean(reader.String(root, "severity", "$")),
            Title: title);
        var createdAt = reader.Timestamp(root, "createdDateTime", "$") ?? context.ReceivedAt;

        var collector = new TargetCollector();
        var alerts = reader.Array(root, "alerts", "$");
        if (alerts is { } list)
        {
            var index = 0;
            foreach (var alert in list.EnumerateArray())
            {
                var alertPath = MemberReader.Item("$.alerts", index++);
                if (!reader.IsObject(alert, alertPath))
                    break;
                DefenderAlertFormat.ReadAlert(alert, alertPath, reader, collector, createdAt);
            }
        }

        if (reader.Error is { } error)
            return error;
        if (collector.Count == 0)
        {
            return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                alerts is null
                    ? "The Graph security incident has no alerts, so it names no user: fetch it with $expand=alerts "
                      + "(GET /security/incidents/{id}?$expand=alerts); assignedTo and comment authors are never targets."
                    : "None of the incident's alerts has userEvidence with an Entra object ID (azureAdUserId) or a UPN "
                      + "(userPrincipalName), so it names no user to revoke.",
                "$.alerts");
        }
        return new ParsedPayload(source, collector.ToList());
    }
}
