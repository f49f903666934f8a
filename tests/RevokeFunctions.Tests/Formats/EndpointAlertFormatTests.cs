using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Defender for Endpoint API alerts: User evidence only; relatedUser, loggedOnUsers and comment authors never.</summary>
public sealed class EndpointAlertFormatTests
{
    private const string Bob = "dbf36fa1-d4a8-46b4-9147-3a1b11764fd9";

    private static JsonObject Alert() => SampleFiles.Object("defender-endpoint-alert.json");

    [Fact]
    public void The_User_evidence_names_the_target_by_aadUserId_with_alertCreationTime_as_event_time()
    {
        var parsed = FormatParsing.Node(Alert()).Parsed();

        Assert.Equal(EndpointAlertFormat.FormatKind, parsed.Source.Kind);
        // Grace is the Process evidence's account, relatedUser and the logged-on user: context, never a target.
        Assert.Equal([$"ObjectId:{Bob}"], parsed.Identifiers());
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T15:02:33.7271219Z", CultureInfo.InvariantCulture), parsed.Targets[0].EventTime);
        Assert.Equal("da637472900382838869_1364969609", parsed.Source.Id);
        Assert.Equal("1126093", parsed.Source.Number);
    }

    [Fact]
    public void Without_aadUserId_the_UPN_names_the_user()
    {
        var alert = Alert();
        alert["evidence"]![0]!["aadUserId"] = null;

        Assert.Equal("UserPrincipalName:bob.kowalski@contoso.com", Assert.Single(FormatParsing.Node(alert).Parsed().Targets).Primary.ToString());
    }

    [Fact]
    public void An_alert_whose_only_user_is_relatedUser_names_no_user()
    {
        var alert = Alert();
        alert["evidence"]!.AsArray().RemoveAt(0);

        var error = FormatParsing.Node(alert).Refused(PayloadErrorKind.NoTargetUser);

        Assert.Contains("relatedUser", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_of_alerts_is_read_alert_by_alert()
    {
        var second = Alert();
        second["id"] = "da637472900382838869_1364969610";
        second["evidence"]![0]!["aadUserId"] = "e322f459-1f7e-41e3-b903-5ceb208d9205";
        var page = new JsonObject
        {
            ["@odata.context"] = "https://api.security.microsoft.com/api/$metadata#Alerts",
            ["value"] = new JsonArray(Alert(), second),
        };

        var parsed = FormatParsing.Node(page).Parsed();

        Assert.Equal([$"ObjectId:{Bob}", "ObjectId:e322f459-1f7e-41e3-b903-5ceb208d9205"], parsed.Identifiers());
    }
}
