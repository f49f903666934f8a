using System.Text.Json.Nodes;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Tests.Formats;

/// <summary>What the detail of a refused payload names first, and where.</summary>
public sealed class DiagnosticsTests
{
    [Theory]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"subscriptionId":"a","subscriptionId":"b"}}""", "$.data.subscriptionId")]
    [InlineData("""{"user":"alice@contoso.com","user":"bob.kowalski@contoso.com"}""", "$.user")]
    [InlineData("""{"value":[{"id":"x"},{"id":"y","evidence":[{"a":1},{"b":2,"b":3}]}]}""", "$.value[1].evidence[1].b")]
    [InlineData("""{"a":{"x":1},"b":[1,[2,{"k":1,"k":2}]]}""", "$.b[1][1].k")]
    [InlineData("""{"odd name":{"k":1,"k":2}}""", "$['odd name'].k")]
    [InlineData("""{"user":"a","\u0075ser":"b"}""", "$.user")]
    public void A_repeated_property_name_is_reported_where_it_repeats(string json, string path)
    {
        var error = FormatParsing.Json(json).Refused(PayloadErrorKind.DuplicateProperty);

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_identifier_is_named_before_a_bad_timestamp_read_earlier()
    {
        var alert = SampleFiles.Object("defender-xdr-alert.json");
        alert["createdDateTime"] = "24/11/2026 06:41";
        alert["evidence"]![0]!["userAccount"]!["azureAdUserId"] = "priya";

        var error = FormatParsing.Node(alert).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.evidence[0].userAccount.azureAdUserId", error.Path);
        var identifier = error.Detail.IndexOf("azureAdUserId", StringComparison.Ordinal);
        var timestamp = error.Detail.IndexOf("createdDateTime", StringComparison.Ordinal);
        Assert.True(identifier >= 0 && timestamp > identifier, error.Detail);
    }

    [Fact]
    public void A_risk_detection_with_both_problems_leads_with_the_identifier_too()
    {
        var detection = SampleFiles.Object("risk-detection.json");
        detection["detectedDateTime"] = "2026-11-24T03:29:05";
        detection["userId"] = "omar";

        var error = FormatParsing.Node(detection).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.userId", error.Path);
        Assert.Contains("Also:", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_timestamp_alone_is_still_a_schema_violation_at_its_path()
    {
        var detection = SampleFiles.Object("risk-detection.json");
        detection["detectedDateTime"] = "yesterday";

        Assert.Equal("$.detectedDateTime", FormatParsing.Node(detection).Refused(PayloadErrorKind.SchemaViolation).Path);
    }

    [Fact]
    public void A_CloudEvent_with_a_bad_time_and_a_bad_user_in_its_data_names_the_user_first()
    {
        var cloudEvent = SampleFiles.Object("cloudevent-risk-detection.json");
        cloudEvent["time"] = "Tuesday morning";
        cloudEvent["data"]!["userId"] = "hannah";

        var error = FormatParsing.Node(cloudEvent).Refused(PayloadErrorKind.InvalidUserIdentifier);

        Assert.Equal("$.data.userId", error.Path);
        Assert.Contains("CloudEvents 1.0", error.Detail, StringComparison.Ordinal);
    }
}
