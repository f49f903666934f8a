using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Microsoft Defender XDR alert as Microsoft Graph returns it (<c>security/alerts_v2</c>, alert resource v2). Each
/// <c>userEvidence</c> item names a target through its <c>userAccount</c>: <c>azureAdUserId</c>, else
/// <c>userPrincipalName</c>. Every other evidence kind is ignored, including the accounts inside it (a device's
/// <c>loggedOnUsers</c>, a process's or mailbox's account), because those people are context, not the compromised user.
/// </summary>
public sealed class DefenderAlertFormat : IPayloadFormat
{
    public const string FormatKind = "defender-xdr-alert";

    private const string UserEvidenceType = "#microsoft.graph.security.userEvidence";

    public string Kind => FormatKind;

    public bool Recognizes(JsonElement root) =>
        root.TryGetProperty("alertWebUrl"u8, out _)
        || (root.TryGetProperty("serviceSource"u8, out _) && root.TryGetProperty("detectionSource"u8, out _))
        || (root.TryGetProperty("evidence"u8, out _) && root.TryGetProperty("providerAlertId"u8, out _));

    public PayloadParseResult Parse(JsonElement root, PayloadParseContext context)
    {
        var reader = new MemberReader("Defender XDR alert");
        var title = FreeText.Clean(reader.String(root, "title", "$"));
        var source = new SourceReference(
            FormatKind,
            Id: FreeText.Id(reader.String(root, "id", "$")),
            Number: FreeText.Id(reader.String(root, "incidentId", "$")),
            Url: FreeText.Link(reader.String(root, "alertWebUrl", "$")),
            Severity: FreeText.Clean(reader.String(root, "severity", "$")),
            Title: title);

        // When Defender created the alert: a revocation after that covers the activity it reports.
        var eventTime = reader.FirstTimestamp(root, "$", "createdDateTime", "lastActivityDateTime", "firstActivityDateTime")
            ?? context.ReceivedAt;

        var collector = new TargetCollector();
        if (reader.Array(root, "evidence", "$") is { } evidence)
        {
            var index = 0;
            foreach (var item in evidence.EnumerateArray())
            {
                var itemPath = MemberReader.Item("$.evidence", index++);
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
        }

        if (reader.Error is { } error)
            return error;
        if (collector.Count == 0)
        {
            return PayloadError.Invalid(PayloadErrorKind.NoTargetUser,
                "The Defender XDR alert has no userEvidence with an Entra object ID (azureAdUserId) or a UPN "
                + "(userPrincipalName), so it names no user to revoke.", "$.evidence");
        }
        return new ParsedPayload(source, collector.ToList());
    }
}
