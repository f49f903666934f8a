using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Defender for Endpoint API alert (<c>GET https://api.security.microsoft.com/api/alerts/{id}</c>, or a page
/// of the alert list). Only <c>evidence</c> items whose <c>entityType</c> is <c>User</c> name a target: <c>aadUserId</c>,
/// else <c>userPrincipalName</c>. <c>relatedUser</c> (a name and a domain: a sAMAccountName, and often the device's
/// user rather than the compromised one), <c>loggedOnUsers</c>, <c>assignedTo</c> and comment authors never do. The
/// event time is <c>alertCreationTime</c>.
/// </summary>
public sealed class EndpointAlertFormat : IPayloadFormat
{
    public const string FormatKind = "defender-endpoint-alert";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) => IsAlert(root) || GraphPage.Recognizes(root, IsAlert, "$metadata#Alerts");

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("Defender for Endpoint alert");
        return GraphPage.Parse(root, reader, FormatKind, "a Defender for Endpoint alert (it has no alertCreationTime)", IsAlert,
            (item, path, collector) => Read(item, path, reader, collector, context),
            page => PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The Defender for Endpoint alert has no User evidence with an Entra object ID (aadUserId) or a UPN "
                + "(userPrincipalName), so it names no user to revoke; relatedUser and loggedOnUsers never do.", page ? "$.value" : "$.evidence"));
    }

    private static bool IsAlert(JsonElement item) => item.TryGetProperty("alertCreationTime"u8, out _);

    private static SourceReference Read(JsonElement alert, string path, MemberReader reader, TargetCollector collector, PayloadParseContext context)
    {
        var title = FreeText.Clean(reader.String(alert, "title", path));
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(reader.String(alert, "id", path)),
            Number: FreeText.Id(reader.NumberOrString(alert, "incidentId", path)),
            Severity: FreeText.Clean(reader.String(alert, "severity", path)),
            Title: title);
        var eventTime = reader.Timestamp(alert, "alertCreationTime", path) ?? context.ReceivedAt;

        var evidencePath = MemberReader.Child(path, "evidence");
        if (reader.Array(alert, "evidence", path) is not { } evidence)
            return source;
        var index = 0;
        foreach (var item in evidence.EnumerateArray())
        {
            var itemPath = MemberReader.Item(evidencePath, index++);
            if (!reader.IsObject(item, itemPath))
                break;
            var entityType = reader.RequiredString(item, "entityType", itemPath);
            if (!string.Equals(entityType, "User", StringComparison.OrdinalIgnoreCase))
                continue;
            var picked = AccountIdentity.Pick(reader,
                reader.String(item, "aadUserId", itemPath), MemberReader.Child(itemPath, "aadUserId"),
                reader.String(item, "userPrincipalName", itemPath), MemberReader.Child(itemPath, "userPrincipalName"));
            if (picked is { } target)
                collector.Add(new RequestedTarget(target.Given, [target.Identifier], eventTime, Reason: title));
        }
        return source;
    }
}
