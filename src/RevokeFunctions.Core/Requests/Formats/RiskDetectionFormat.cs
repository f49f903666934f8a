using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Entra ID Protection risk detection (Graph <c>riskDetection</c>), alone or as a Graph list response
/// <c>{"value": [...]}</c>. The target is <c>userId</c>, else <c>userPrincipalName</c>; the event time is
/// <c>detectedDateTime</c>. <c>userDisplayName</c> never picks a target. The beta API calls the risk <c>riskType</c>
/// instead of <c>riskEventType</c>; both are read, <c>riskEventType</c> first.
/// </summary>
public sealed class RiskDetectionFormat : IPayloadFormat
{
    public const string FormatKind = "entra-risk-detection";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) => IsDetection(root) || GraphPage.Recognizes(root, IsDetection, "riskDetections");

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("risk detection");
        return GraphPage.Parse(root, reader, FormatKind, "a risk detection (it has no riskEventType or riskType)", IsDetection,
            (item, path, collector) => Read(item, path, reader, collector, context),
            page => PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The risk detection names no user by Entra object ID (userId) or UPN (userPrincipalName).", "$"));
    }

    private static bool IsDetection(JsonElement item) =>
        item.TryGetProperty("riskEventType"u8, out _) || item.TryGetProperty("riskType"u8, out _);

    private static SourceReference Read(JsonElement detection, string path, MemberReader reader, TargetCollector collector, PayloadParseContext context)
    {
        var riskEventType = FreeText.Clean(reader.String(detection, "riskEventType", path) ?? reader.String(detection, "riskType", path));
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
