using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Defender XDR alerts (Graph security alert v2): userEvidence only.</summary>
public sealed class DefenderAlertFormatTests
{
    private const string File = "valid/defender-xdr-alert.json";
    private const string Priya = "148979f6-a3e8-4239-9f94-b651523fab42";

    private static JsonObject WithEvidence(params string[] evidence)
    {
        var alert = FormatParsing.Load(File);
        alert["evidence"] = new JsonArray([.. evidence.Select(e => JsonNode.Parse(e))]);
        return alert;
    }

    [Fact]
    public void User_evidence_is_the_target_and_logged_on_users_are_not()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        Assert.Equal([$"ObjectId:{Priya}"], parsed.Identifiers());
        Assert.Equal(DefenderAlertFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal("da895598354856096485_-130712554", parsed.Source.Id);
        Assert.Equal("8312", parsed.Source.Number);
        Assert.Equal("high", parsed.Source.Severity);
        Assert.StartsWith("https://security.microsoft.com/alerts/", parsed.Source.Url, StringComparison.Ordinal);
    }

    [Fact]
    public void The_event_time_is_the_alert_creation_time()
    {
        var target = Assert.Single(FormatParsing.Fixture(File).Parsed().Targets);

        Assert.Equal(DateTimeOffset.Parse("2026-11-24T06:41:09.1566667Z", CultureInfo.InvariantCulture), target.EventTime);
    }

    [Fact]
    public void Without_azureAdUserId_the_user_principal_name_is_used()
    {
        var alert = WithEvidence("""
            {"@odata.type":"#microsoft.graph.security.userEvidence","userAccount":{"accountName":"priya.raman","azureAdUserId":null,"userPrincipalName":"priya.raman@contoso.com"}}
            """);

        Assert.Equal(["UserPrincipalName:priya.raman@contoso.com"], FormatParsing.Node(alert).Parsed().Identifiers());
    }

    [Fact]
    public void Accounts_inside_other_evidence_kinds_are_ignored()
    {
        var alert = WithEvidence(
            $$$"""{"@odata.type":"#microsoft.graph.security.processEvidence","userAccount":{"azureAdUserId":"{{{Priya}}}"}}""",
            """{"@odata.type":"#microsoft.graph.security.mailboxEvidence","userAccount":{"userPrincipalName":"victor.huang@contoso.com"}}""",
            """{"@odata.type":"#microsoft.graph.security.deviceEvidence","loggedOnUsers":[{"accountName":"vhuang","domainName":"CONTOSO"}]}""");

        FormatParsing.Node(alert).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void User_evidence_without_a_usable_account_names_no_user()
    {
        var alert = WithEvidence("""
            {"@odata.type":"#microsoft.graph.security.userEvidence","userAccount":{"accountName":"priya.raman","domainName":"CONTOSO","displayName":"Priya Raman"}}
            """);

        FormatParsing.Node(alert).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void Evidence_without_its_type_is_a_schema_violation()
    {
        var alert = WithEvidence($$$"""{"userAccount":{"azureAdUserId":"{{{Priya}}}"}}""");

        Assert.Equal("$.evidence[0]['@odata.type']", FormatParsing.Node(alert).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_malformed_azureAdUserId_refuses_the_alert()
    {
        var alert = WithEvidence(
            $$$"""{"@odata.type":"#microsoft.graph.security.userEvidence","userAccount":{"azureAdUserId":"{{{Priya}}}"}}""",
            """{"@odata.type":"#microsoft.graph.security.userEvidence","userAccount":{"azureAdUserId":"148979f6-a3e8-4239-9f94-b651523fab42\u0000"}}""");

        Assert.Equal("$.evidence[1].userAccount.azureAdUserId", FormatParsing.Node(alert).Refused(PayloadErrorKind.InvalidUserIdentifier).Path);
    }

    [Fact]
    public void An_alert_without_evidence_names_no_user()
    {
        var alert = FormatParsing.Load(File);
        alert.Remove("evidence");

        FormatParsing.Node(alert).Refused(PayloadErrorKind.NoTargetUser);
    }
}
