using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A CloudEvents 1.0 event in structured JSON mode whose <c>data</c> (or <c>data_base64</c>) is any other supported
/// payload. The CloudEvents SDK reads the envelope; where the SDK is more forgiving than the JSON event format spec,
/// or its message would not name the member, the checks here come first. The wrapped payload goes through the same
/// strict parser as a body, so a CloudEvent can neither smuggle in a shape nor loosen a rule.
/// </summary>
public sealed class CloudEventFormat : IPayloadFormat
{
    public const string FormatKind = "cloudevent";

    // Attributes the JSON format requires, in the order the spec lists them.
    private static readonly string[] RequiredAttributes = ["id", "source", "type"];

    private static readonly JsonEventFormatter Formatter = new();

    public string Kind => FormatKind;

    /// <summary>
    /// <c>specversion</c> marks a CloudEvent; so does data beside two of id/source/type, which is how an event that
    /// lost its <c>specversion</c> is still told apart (and refused) rather than read as the payload it carries.
    /// </summary>
    public bool Recognizes(JsonElement root)
    {
        if (root.TryGetProperty("specversion"u8, out _))
            return true;
        if (!root.TryGetProperty("data"u8, out _) && !root.TryGetProperty("data_base64"u8, out _))
            return false;
        var attributes = 0;
        foreach (var name in RequiredAttributes)
        {
            if (root.TryGetProperty(name, out _))
                attributes++;
        }
        return attributes >= 2;
    }

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        if (CheckAttributes(root) is { } attributeError)
            return attributeError;

        CloudEvent cloudEvent;
        try
        {
            cloudEvent = Formatter.ConvertFromJsonElement(root, extensionAttributes: null);
        }
        // InvalidOperationException: the SDK reading a string that holds an unpaired surrogate escape.
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            var envelope = PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                $"The CloudEvent breaks the CloudEvents 1.0 JSON format: {SdkMessage(ex)}", "$");
            return IdentifierProblemInData(root, context, envelope) ?? envelope;
        }

        var contentType = cloudEvent.DataContentType;
        PayloadParseResult inner;
        string dataPath;
        switch (cloudEvent.Data)
        {
            case null:
                return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                    "The CloudEvent has no data, so it names no user; put a supported payload in `data`.", "$.data");
            case JsonElement data when IsJson(contentType):
                dataPath = "$.data";
                inner = context.ParseWrapped(data);
                break;
            case byte[] bytes when IsJson(contentType):
                dataPath = "$.data_base64";
                inner = context.ParseWrapped(bytes);
                break;
            default:
                return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                    $"The CloudEvent's datacontenttype {FreeText.Clean(contentType)} is not JSON; only JSON data is read.",
                    "$.datacontenttype");
        }

        if (!inner.Succeeded)
            return Rebase(inner.Error, dataPath);

        var wrapped = inner.Payload.Source;
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(cloudEvent.Id),
            Number: wrapped.Number,
            Url: FreeText.Link(cloudEvent.Source?.OriginalString),
            Severity: wrapped.Severity,
            ResourceId: wrapped.ResourceId,
            Title: FreeText.Clean(cloudEvent.Type));
        return new ParsedPayload(source, inner.Payload.Targets);
    }

    /// <summary>
    /// The SDK reports a missing or non-string <c>specversion</c> as "does not represent a CloudEvent", which names
    /// nothing; the required attributes are checked here so the detail names the one that is wrong.
    /// </summary>
    private static PayloadError? CheckAttributes(JsonElement root)
    {
        if (!MemberReader.Has(root, "specversion", out var specVersion))
        {
            return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                "The CloudEvent lacks the required attribute specversion; CloudEvents 1.0 requires \"specversion\": \"1.0\". "
                + "The event was not processed.", "$.specversion");
        }
        if (specVersion.ValueKind != JsonValueKind.String || !MemberReader.TryGetText(specVersion, out var version) || version != "1.0")
        {
            return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                "The CloudEvent's specversion is not the string \"1.0\"; only CloudEvents 1.0 is supported.", "$.specversion");
        }
        foreach (var name in RequiredAttributes)
        {
            var path = "$." + name;
            if (!MemberReader.Has(root, name, out var value))
                return PayloadError.Invalid(PayloadErrorKind.SchemaViolation, $"The CloudEvent lacks the required attribute {name}.", path);
            if (value.ValueKind != JsonValueKind.String || !MemberReader.TryGetText(value, out var text) || text.Length == 0)
                return PayloadError.Invalid(PayloadErrorKind.SchemaViolation, $"The CloudEvent attribute {name} must be a non-empty string.", path);
        }
        return null;
    }

    /// <summary>
    /// An envelope the SDK refuses (most often a malformed <c>time</c>) may also carry a bad user identifier in its
    /// data: that one is named first, because the source's mapping is what an operator can fix.
    /// </summary>
    private static PayloadError? IdentifierProblemInData(JsonElement root, PayloadParseContext context, PayloadError envelope)
    {
        if (!root.TryGetProperty("data"u8, out var data) || data.ValueKind != JsonValueKind.Object)
            return null;
        if (context.ParseWrapped(data).Error is not { Kind: PayloadErrorKind.InvalidUserIdentifier } identifier)
            return null;
        var rebased = Rebase(identifier, "$.data");
        return rebased with { Detail = $"{rebased.Detail} Also: {envelope.Detail}" };
    }

    /// <summary>No datacontenttype means JSON in the JSON event format; otherwise */json or *+json.</summary>
    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
            return true;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return media.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Names the wrapped payload's problem where it is in the envelope.</summary>
    private static PayloadError Rebase(PayloadError error, string dataPath)
    {
        var path = error.Path switch
        {
            null => dataPath,
            "$" => dataPath,
            var p when p.StartsWith('$') && dataPath == "$.data" => dataPath + p[1..],
            _ => dataPath,
        };
        return error with { Detail = $"In the CloudEvent's {dataPath[2..]}: {error.Detail}", Path = path };
    }

    private static string SdkMessage(Exception ex)
    {
        // The SDK's messages name the attribute and rarely the value; still, keep them short and on one line.
        var message = ex is ArgumentException { ParamName: { } param } argument
            ? argument.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal)
            : ex.Message;
        return FreeText.Clean(message) ?? "unreadable event";
    }
}
