using System.Text.Json;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Sentinel alert: a <c>SecurityAlert</c> row (from Log Analytics, where <c>Entities</c> is a JSON array
/// serialised into a string) or the alert trigger's body (where <c>Entities</c> is the array itself). Targets are the
/// entities of type <c>account</c>: <c>AadUserId</c>, else <c>Name</c> + <c>@</c> + <c>UPNSuffix</c>.
/// <c>CompromisedEntity</c> is display text and never picks a target.
/// </summary>
public sealed class SentinelAlertFormat(IOptions<PayloadLimits> limits) : IPayloadFormat
{
    public const string FormatKind = "sentinel-alert";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) =>
        root.TryGetProperty("SystemAlertId"u8, out _)
        || (root.TryGetProperty("Entities"u8, out _)
            && (root.TryGetProperty("AlertName"u8, out _) || root.TryGetProperty("AlertDisplayName"u8, out _)));

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("Sentinel alert");
        var title = FreeText.Clean(reader.String(root, "AlertName", "$") ?? reader.String(root, "AlertDisplayName", "$")
            ?? reader.String(root, "DisplayName", "$"));
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(reader.String(root, "SystemAlertId", "$")),
            Url: FreeText.Link(reader.String(root, "AlertLink", "$")),
            Severity: FreeText.Clean(reader.String(root, "AlertSeverity", "$") ?? reader.String(root, "Severity", "$")),
            Title: title);

        // When the alert was generated: a revocation after that covers the activity it reports.
        var eventTime = reader.FirstTimestamp(root, "$", "TimeGenerated", "EndTime", "EndTimeUtc", "StartTime", "StartTimeUtc")
            ?? context.ReceivedAt;
        if (reader.Error is { } headerError)
            return headerError;

        const string entitiesPath = "$.Entities";
        using var embedded = ReadEntities(root, reader, out var entities);
        if (reader.Error is { } entitiesError)
            return entitiesError;

        var collector = new TargetCollector();
        if (entities is { } list)
        {
            var graph = SentinelEntityGraph.Index(list, entitiesPath, reader);
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var itemPath = MemberReader.Item(entitiesPath, index++);
                if (!reader.IsObject(item, itemPath) || graph.Resolve(item, itemPath, reader) is not { } resolved)
                    break;
                var (entity, entityPath) = resolved;
                if (!string.Equals(reader.String(entity, "Type", entityPath), "account", StringComparison.OrdinalIgnoreCase))
                    continue;

                var picked = AccountIdentity.Pick(reader,
                    reader.String(entity, "AadUserId", entityPath), MemberReader.Child(entityPath, "AadUserId"),
                    AccountIdentity.JoinUpn(reader.String(entity, "Name", entityPath), reader.String(entity, "UPNSuffix", entityPath)),
                    MemberReader.Child(entityPath, "Name"));
                if (picked is { } target)
                    collector.Add(new RequestedTarget(target.Given, [target.Identifier], eventTime, Reason: title));
            }
        }

        if (reader.Error is { } error)
            return error;
        if (collector.Count == 0)
        {
            return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The Sentinel alert has no account entity with an Entra object ID (AadUserId) or a UPN (Name and UPNSuffix), "
                + "so it names no user to revoke.", entitiesPath);
        }
        return new ParsedPayload(source, collector.ToList());
    }

    /// <summary>
    /// <c>Entities</c> as an array, parsing it first when it is a string. The string is parsed as strictly as a body
    /// (no duplicate names, no comments, the same depth cap): a lenient second parser is where two readings of one
    /// alert would differ.
    /// </summary>
    private JsonDocument? ReadEntities(JsonElement root, MemberReader reader, out JsonElement? entities)
    {
        entities = null;
        if (!MemberReader.Has(root, "Entities", out var value))
            return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                entities = value;
                return null;
            case JsonValueKind.String:
                if (!MemberReader.TryGetText(value, out var text))
                {
                    reader.Violation("The Sentinel alert's Entities string holds an unpaired surrogate escape, which is not text.", "$.Entities");
                    return null;
                }
                if (text.Length == 0)
                    return null;
                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(text, new JsonDocumentOptions
                    {
                        AllowDuplicateProperties = false,
                        AllowTrailingCommas = false,
                        CommentHandling = JsonCommentHandling.Disallow,
                        MaxDepth = limits.Value.MaxDepth,
                    });
                }
                catch (InvalidOperationException)
                {
                    // The duplicate-name check decodes every property name; half a surrogate pair cannot be decoded.
                    reader.Violation("A property name inside the Sentinel alert's Entities string holds an unpaired surrogate "
                        + "escape, which is not text.", "$.Entities");
                    return null;
                }
                catch (JsonException ex)
                {
                    var duplicate = ex.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase);
                    reader.Fail(duplicate ? PayloadErrorKind.DuplicateProperty : PayloadErrorKind.SchemaViolation,
                        duplicate
                            ? "The JSON inside the Sentinel alert's Entities string repeats a property name; each may appear once."
                            : "The Sentinel alert's Entities string does not hold well-formed JSON.",
                        "$.Entities");
                    return null;
                }
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    document.Dispose();
                    reader.Violation("The Sentinel alert's Entities string does not hold a JSON array.", "$.Entities");
                    return null;
                }
                entities = document.RootElement;
                return document;
            default:
                reader.Violation("The Sentinel alert's Entities is neither an array nor a string holding one.", "$.Entities");
                return null;
        }
    }
}
