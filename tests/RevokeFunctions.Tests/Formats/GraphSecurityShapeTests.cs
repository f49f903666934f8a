using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Graph security alert pages and incidents: only alerts' user evidence names a target.</summary>
public sealed class GraphSecurityShapeTests
{
    private const string Dmitri = "11e446ca-541a-4ff0-88a7-ac0106923a60";
    private const string Carmen = "116a95ee-17a5-4212-b196-9855ce37f47f";
    private const string Victor = "80c3651c-ae5f-4a71-b4b2-828aec789541";

    private static JsonObject Page() => SampleFiles.Object("defender-xdr-alert-page.json");

    private static JsonObject Incident() => SampleFiles.Object("defender-xdr-incident.json");

    [Fact]
    public void Every_alert_on_a_page_counts_and_the_next_page_link_is_ignored()
    {
        var parsed = FormatParsing.Node(Page()).Parsed();

        Assert.Equal(DefenderAlertFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal([$"ObjectId:{Dmitri}", $"ObjectId:{Carmen}"], parsed.Identifiers());
        Assert.NotEqual(parsed.Targets[0].EventTime, parsed.Targets[1].EventTime);
        Assert.Null(parsed.Source.Id);
    }

    [Fact]
    public void A_page_of_one_alert_keeps_the_alert_as_its_source_for_write_back()
    {
        var page = Page();
        page["value"]!.AsArray().RemoveAt(1);

        var parsed = FormatParsing.Node(page).Parsed();

        Assert.Equal("da638692174226512090_1874653012", parsed.Source.Id);
    }

    [Fact]
    public void A_page_with_no_user_evidence_names_no_user()
    {
        var page = Page();
        foreach (var alert in page["value"]!.AsArray())
            alert!["evidence"]!.AsArray().RemoveAt(0);

        Assert.Equal("$.value", FormatParsing.Node(page).Refused(PayloadErrorKind.NoTargetUser).Path);
    }

    [Fact]
    public void A_bad_identifier_in_the_second_alert_refuses_the_whole_page_naming_its_path()
    {
        var page = Page();
        page["value"]![1]!["evidence"]![0]!["userAccount"]!["azureAdUserId"] = "not-a-guid";

        var error = FormatParsing.Node(page).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.value[1].evidence[0].userAccount.azureAdUserId", error.Path);
    }

    [Fact]
    public void An_incident_names_its_alerts_user_evidence_never_assignedTo_or_comment_authors()
    {
        var parsed = FormatParsing.Node(Incident()).Parsed();

        Assert.Equal(GraphIncidentFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal([$"ObjectId:{Victor}"], parsed.Identifiers());
        Assert.Equal("8433", parsed.Source.Id);
        Assert.StartsWith("https://security.microsoft.com/incidents/8433", parsed.Source.Url, StringComparison.Ordinal);
        // The alert's creation, not the incident's, is when this user's activity was reported.
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T14:05:47.81Z", CultureInfo.InvariantCulture), parsed.Targets[0].EventTime);
    }

    [Fact]
    public void A_user_in_two_alerts_is_one_target_with_the_later_alert_as_event_time()
    {
        var incident = Incident();
        var later = incident["alerts"]![0]!.DeepClone();
        later["id"] = "ca-later";
        later["createdDateTime"] = "2026-11-24T18:00:00Z";
        incident["alerts"]!.AsArray().Add(later);

        var target = Assert.Single(FormatParsing.Node(incident).Parsed().Targets);

        Assert.Equal(DateTimeOffset.Parse("2026-11-24T18:00:00Z", CultureInfo.InvariantCulture), target.EventTime);
    }

    [Fact]
    public void An_incident_without_expanded_alerts_names_no_user_rather_than_being_an_unknown_shape()
    {
        var incident = Incident();
        incident.Remove("alerts");

        var error = FormatParsing.Node(incident).Refused(PayloadErrorKind.NoTargetUser);

        Assert.Contains("$expand=alerts", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_that_links_its_incident_is_still_read_as_an_alert()
    {
        var alert = SampleFiles.Object("defender-xdr-alert.json");

        Assert.Equal(DefenderAlertFormat.FormatKind, FormatParsing.Node(alert).Parsed().Source.Kind);
    }
}
