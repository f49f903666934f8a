using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Sentinel incident as an automation rule's playbook hands it over: the incident resource
/// (<c>{"id", "name", "properties": {...}}</c>, what a playbook forwards as <c>triggerBody()?['object']</c>) or the
/// incident trigger's whole body around it (<c>objectSchemaType</c>, <c>objectEventType</c>, <c>workspaceInfo</c>,
/// <c>object</c>). Targets are the Account entities in <c>properties.relatedEntities</c>; the owner, comment authors
/// and every other entity kind are never targets.
/// </summary>
public sealed class SentinelIncidentFormat : IPayloadFormat
{
    public const string FormatKind = "sentinel-incident";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) =>
        (root.TryGetProperty("objectSchemaType"u8, out _) && root.TryGetProperty("object"u8, out _))
        || IsIncidentResource(root);

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("Sentinel incident");
        var incident = root;
        var path = "$";
        if (!IsIncidentResource(root))
        {
            // The incident trigger's envelope: only incidents carry the entities this reads.
            var schemaType = reader.RequiredString(root, "objectSchemaType", "$");
            if (schemaType is not null && !schemaType.Equals("Incident", StringComparison.OrdinalIgnoreCase))
            {
                reader.Violation("The Sentinel trigger body's objectSchemaType is not Incident; only the incident trigger "
                    + "is supported (send alerts as the alert itself).", "$.objectSchemaType");
            }
            if (reader.RequiredObject(root, "object", "$") is { } inner)
            {
                incident = inner;
                path = "$.object";
            }
            if (reader.Error is { } envelopeError)
                return envelopeError;
        }

        if (reader.RequiredObject(incident, "properties", path) is not { } properties)
            return reader.Error!;
        var propertiesPath = MemberReader.Child(path, "properties");

        var title = FreeText.Clean(reader.String(properties, "title", propertiesPath));
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(reader.String(incident, "name", path)),
            Number: FreeText.Id(reader.NumberOrString(properties, "incidentNumber", propertiesPath)),
            Url: FreeText.Link(reader.String(properties, "incidentUrl", propertiesPath)),
            Severity: FreeText.Clean(reader.String(properties, "severity", propertiesPath)),
            ResourceId: FreeText.Link(reader.String(incident, "id", path)),
            Title: title);

        // The incident's latest activity is its event: an incident that gains alerts is a new event (and gets its own
        // decision), one whose status, owner or comments changed (lastModifiedTimeUtc) is not.
        var eventTime = reader.FirstTimestamp(properties, propertiesPath, "lastActivityTimeUtc", "createdTimeUtc", "firstActivityTimeUtc")
            ?? context.ReceivedAt;

        var collector = new TargetCollector();
        var entitiesPath = MemberReader.Child(propertiesPath, "relatedEntities");
        if (reader.Array(properties, "relatedEntities", propertiesPath) is { } entities)
        {
            var index = 0;
            foreach (var entity in entities.EnumerateArray())
            {
                var entityPath = MemberReader.Item(entitiesPath, index++);
                if (!reader.IsObject(entity, entityPath))
                    break;
                var kind = reader.String(entity, "kind", entityPath);
                if (!string.Equals(kind, "Account", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (reader.Object(entity, "properties", entityPath) is not { } account)
                    continue;

                var accountPath = MemberReader.Child(entityPath, "properties");
                var picked = AccountIdentity.Pick(reader,
                    reader.String(account, "aadUserId", accountPath), MemberReader.Child(accountPath, "aadUserId"),
                    AccountIdentity.JoinUpn(reader.String(account, "accountName", accountPath), reader.String(account, "upnSuffix", accountPath)),
                    MemberReader.Child(accountPath, "accountName"));
                if (picked is { } target)
                    collector.Add(new RequestedTarget(target.Given, [target.Identifier], eventTime, Reason: title));
            }
        }

        if (reader.Error is { } error)
            return error;
        if (collector.Count == 0)
        {
            return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The Sentinel incident has no Account entity with an Entra object ID (aadUserId) or a UPN "
                + "(accountName and upnSuffix), so it names no user to revoke.", entitiesPath);
        }
        return new ParsedPayload(source, collector.ToList());
    }

    private static bool IsIncidentResource(JsonElement root) =>
        root.TryGetProperty("properties"u8, out var properties)
        && properties.ValueKind == JsonValueKind.Object
        && properties.TryGetProperty("incidentNumber"u8, out _);
}
