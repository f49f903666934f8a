using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Defender XDR alert as Microsoft Graph returns it (<c>security/alerts_v2</c>, alert resource v2), alone or
/// as a page of the alert list (<c>{"value": [alert, ...], "@odata.nextLink"}</c>; the link is ignored). Each
/// <c>userEvidence</c> item names a target through its <c>userAccount</c>: <c>azureAdUserId</c>, else
/// <c>userPrincipalName</c>. Every other evidence kind is ignored, including the accounts inside it (a device's
/// <c>loggedOnUsers</c>, a process's or mailbox's account), because those people are context, not the compromised user.
/// </summary>
public sealed class DefenderAlertFormat : IPayloadFormat
{
    public const string FormatKind = "defender-xdr-alert";

    private const string UserEvidenceType = "#microsoft.graph.security.userEvidence";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) => IsAlert(root) || GraphPage.Recognizes(root, IsAlert, "alerts_v2");

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("Defender XDR alert");
        return GraphPage.Parse(root, reader, FormatKind, "a Defender XDR alert", IsAlert,
            (item, path, collector) => ReadAlert(item, path, reader, collector, context.ReceivedAt),
            page => PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                $"The Defender XDR alert{(page ? " page" : "")} has no userEvidence with an Entra object ID (azureAdUserId) or a UPN "
                + "(userPrincipalName), so it names no user to revoke.", page ? "$.value" : "$.evidence"));
    }

    internal static bool IsAlert(JsonElement root) =>
        root.TryGetProperty("alertWebUrl"u8, out _)
        || (root.TryGetProperty("serviceSource"u8, out _) && root.TryGetProperty("detectionSource"u8, out _))
        || (root.TryGetProperty("evidence"u8, out _) && root.TryGetProperty("providerAlertId"u8, out _));

    /// <summary>
    /// One alert's user evidence into <paramref name="collector"/>, with the alert's creation as event time; also what a
    /// Graph security incident's expanded alerts are read with.
    /// </summary>
    internal static SourceReference ReadAlert(JsonElement alert, string path, MemberReader reader, TargetCollector collector, DateTimeOffset fallbackTime)
    {
        var title = FreeText.Clean(reader.String(alert, "title", path));
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(reader.String(alert, "id", path)),
            Number: FreeText.Id(reader.String(alert, "incidentId", path)),
            Url: FreeText.Link(reader.String(alert, "alertWebUrl", path)),
            Severity: FreeText.Clean(reader.String(alert, "severity", path)),
            Title: title);

        // When Defender created the alert: a revocation after that covers the activity it reports.
        var eventTime = reader.FirstTimestamp(alert, path, "createdDateTime", "lastActivityDateTime", "firstActivityDateTime")
            ?? fallbackTime;

        var evidencePath = MemberReader.Child(path, "evidence");
        if (reader.Array(alert, "evidence", path) is not { } evidence)
            return source;
        var index = 0;
        foreach (var item in evidence.EnumerateArray())
        {
            var itemPath = MemberReader.Item(evidencePath, index++);
            if (!reader.IsObject(item, itemPath))
                break;
            // Graph always types polymorphic evidence; without the type a process's account would look like a user's.
            var type = reader.RequiredString(item, "@odata.type", itemPath);
            if (!string.Equals(type, UserEvidenceType, StringComparison.OrdinalIgnoreCase))
                continue;
            if (reader.Object(item, "userAccount", itemPath) is not { } account)
                continue;

            var accountPath = MemberReader.Child(itemPath, "userAccount");
            var picked = AccountIdentity.Pick(reader,
                reader.String(account, "azureAdUserId", accountPath), MemberReader.Child(accountPath, "azureAdUserId"),
                reader.String(account, "userPrincipalName", accountPath), MemberReader.Child(accountPath, "userPrincipalName"));
            if (picked is { } target)
                collector.Add(new RequestedTarget(target.Given, [target.Identifier], eventTime, Reason: title));
        }
        return source;
    }
}
