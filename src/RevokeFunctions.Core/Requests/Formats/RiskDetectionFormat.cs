using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Entra ID Protection risk detection (Graph <c>riskDetection</c>), alone or as a Graph list response
/// <c>{"value": [...]}</c>. The target is <c>userId</c>, else <c>userPrincipalName</c>; the event time is
/// <c>detectedDateTime</c>. <c>userDisplayName</c> never picks a target.
/// </summary>
public sealed class RiskDetectionFormat : IPayloadFormat
{
    public const string FormatKind = "entra-risk-detection";

    public string Kind => FormatKind;

    /// <summary>A detection carries <c>riskEventType</c>; a list is recognised by its items (or, empty, by its OData context).</summary>
    public bool Recognizes(JsonElement root)
    {
        if (root.TryGetProperty("riskEventType"u8, out _))
            return true;
        if (!root.TryGetProperty("value"u8, out var value) || value.ValueKind != JsonValueKind.Array)
            return false;
        if (value.GetArrayLength() == 0)
        {
            return root.TryGetProperty("@odata.context"u8, out var odataContext) && odataContext.ValueKind == JsonValueKind.String
                && MemberReader.TryGetText(odataContext, out var text) && text.Contains("riskDetections", StringComparison.OrdinalIgnoreCase);
        }
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("riskEventType"u8, out _))
                return true;
        }
        return false;
    }

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("risk detection");
        var collector = new TargetCollector();
        SourceReference source;

        if (root.TryGetProperty("riskEventType"u8, out _))
        {
            source = Read(root, "$", reader, collector, context);
        }
        else
        {
            var list = root.GetProperty("value"u8);
            var count = list.GetArrayLength();
            source = new SourceReference(FormatKind);
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var itemPath = MemberReader.Item("$.value", index++);
                if (!reader.IsObject(item, itemPath))
                    break;
                if (!item.TryGetProperty("riskEventType"u8, out _))
                {
                    reader.Violation($"The item at {itemPath} is not a risk detection (it has no riskEventType).", itemPath);
                    break;
                }
                var itemSource = Read(item, itemPath, reader, collector, context);
                // One detection's list is that detection; a longer list has no single source item.
                if (count == 1)
                    source = itemSource;
            }
        }

        if (reader.Error is { } error)
            return error;
        if (collector.Count == 0)
        {
            return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The risk detection names no user by Entra object ID (userId) or UPN (userPrincipalName).", "$");
        }
        return new ParsedPayload(source, collector.ToList());
    }

    private static SourceReference Read(JsonElement detection, string path, MemberReader reader, TargetCollector collector, PayloadParseContext context)
    {
        var riskEventType = FreeText.Clean(reader.String(detection, "riskEventType", path));
        var riskLevel = FreeText.Clean(reader.String(detection, "riskLevel", path));
        var eventTime = reader.Timestamp(detection, "detectedDateTime", path) ?? context.ReceivedAt;
        var reason = riskEventType is null ? null : FreeText.Clean($"Entra ID Protection risk detection: {riskEventType} ({riskLevel ?? "unknown"} risk)");

        var picked = AccountIdentity.Pick(reader,
            reader.String(detection, "userId", path), MemberReader.Child(path, "userId"),
            reader.String(detection, "userPrincipalName", path), MemberReader.Child(path, "userPrincipalName"));
        if (picked is { } target)
            collector.Add(new RequestedTarget(target.Given, [target.Identifier], eventTime, Reason: reason));

        return new SourceReference(FormatKind, Id: FreeText.Id(reader.String(detection, "id", path)), Severity: riskLevel, Title: riskEventType);
    }
}
