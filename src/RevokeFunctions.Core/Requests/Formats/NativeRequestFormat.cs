using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// The app's own request, single or as <c>{"requests": [...]}</c>. Tried last: other formats carry some of the same
/// member names (an HR leaver has <c>correlationId</c>), and their own markers are stronger evidence.
/// </summary>
public sealed class NativeRequestFormat : IPayloadFormat
{
    public const string FormatKind = "native";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) =>
        root.TryGetProperty("user"u8, out _)
        || root.TryGetProperty("requests"u8, out _)
        || root.TryGetProperty("requestedBy"u8, out _)
        || (root.TryGetProperty("reason"u8, out _) && root.TryGetProperty("correlationId"u8, out _));

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        if (root.TryGetProperty("requests"u8, out _))
        {
            if (root.TryGetProperty("user"u8, out _))
            {
                return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                    "The request has both `user` and `requests`; send one request or a list, not both.", "$");
            }
            if (!TryDeserialize(root, PayloadJsonContext.Default.NativeRequestList, out var list, out var listError))
                return listError;
            if (list.Requests.Count == 0)
                return PayloadError.Invalid(PayloadErrorKind.NoTargetUser, "The `requests` list is empty.", "$.requests");

            var collector = new TargetCollector();
            for (var i = 0; i < list.Requests.Count; i++)
            {
                if (list.Requests[i] is null)
                {
                    return PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                        $"The request at $.requests[{i}] is null.", $"$.requests[{i}]");
                }
                var target = ToTarget(list.Requests[i], $"$.requests[{i}].user", context, out var error);
                if (error is not null)
                    return error;
                collector.Add(target!);
            }
            return new ParsedPayload(new SourceReference(FormatKind), collector.ToList());
        }

        if (!TryDeserialize(root, PayloadJsonContext.Default.NativeRequest, out var request, out var requestError))
            return requestError;
        var single = ToTarget(request, "$.user", context, out var singleError);
        return singleError ?? (PayloadParseResult)new ParsedPayload(new SourceReference(FormatKind), [single!]);
    }

    private static RequestedTarget? ToTarget(NativeRequest request, string path, PayloadParseContext context, out PayloadError? error)
    {
        if (!UserIdentifier.TryCreate(request.User, out var identifier, out var problem))
        {
            error = PayloadError.Invalid(PayloadErrorKind.InvalidUserIdentifier, $"The user at {path} {problem}.", path);
            return null;
        }
        error = null;
        return new RequestedTarget(
            Given: request.User,
            Identifiers: [identifier],
            EventTime: context.ReceivedAt,
            Reason: request.Reason,
            RequestedByNote: request.RequestedBy,
            CorrelationId: request.CorrelationId);
    }

    private static bool TryDeserialize<T>(JsonElement root, JsonTypeInfo<T> typeInfo, out T value, out PayloadError error)
    {
        try
        {
            value = root.Deserialize(typeInfo)!;
            error = null!;
            return true;
        }
        catch (JsonException ex)
        {
            value = default!;
            error = SchemaViolation.From(ex, "revocation request");
            return false;
        }
    }
}
