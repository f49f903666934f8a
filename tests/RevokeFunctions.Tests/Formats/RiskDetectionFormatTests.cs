using System.Globalization;
using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Entra ID Protection risk detections, single and as a Graph list.</summary>
public sealed class RiskDetectionFormatTests
{
    private const string File = "valid/entra-risk-detection.json";
    private const string Omar = "6b8fe43a-08b3-4bc7-b983-a43953bf5f70";
    private const string Hannah = "cdef5eb6-5d43-45e1-9120-d4b615858b61";

    private static JsonObject Detection() => FormatParsing.Load(File);

    private static JsonObject HannahDetection() =>
        FormatParsing.Load("valid/cloudevent-risk-detection.json")["data"]!.DeepClone().AsObject();

    private static JsonObject List(params JsonNode[] detections) => new()
    {
        ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskDetections",
        ["value"] = new JsonArray(detections),
    };

    [Fact]
    public void The_user_ID_is_the_target_and_detectedDateTime_the_event_time()
    {
        var parsed = FormatParsing.Fixture(File).Parsed();

        var target = Assert.Single(parsed.Targets);
        Assert.Equal($"ObjectId:{Omar}", target.Primary.ToString());
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T03:29:05.02Z", CultureInfo.InvariantCulture), target.EventTime);
        Assert.Equal(RiskDetectionFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal("c8e286e8ff1fcce53d2e2f6e7da3a4761bffd808793c571765b98d4f29583baf", parsed.Source.Id);
        Assert.Equal("high", parsed.Source.Severity);
    }

    [Fact]
    public void A_Graph_list_yields_each_detection_with_its_own_event_time()
    {
        var parsed = FormatParsing.Node(List(Detection(), HannahDetection())).Parsed();

        Assert.Equal([$"ObjectId:{Omar}", $"ObjectId:{Hannah}"], parsed.Identifiers());
        Assert.NotEqual(parsed.Targets[0].EventTime, parsed.Targets[1].EventTime);
        Assert.Null(parsed.Source.Id);
    }

    [Fact]
    public void A_list_of_one_detection_keeps_its_ID()
    {
        var parsed = FormatParsing.Node(List(Detection())).Parsed();

        Assert.Equal("c8e286e8ff1fcce53d2e2f6e7da3a4761bffd808793c571765b98d4f29583baf", parsed.Source.Id);
    }

    [Fact]
    public void Two_detections_for_one_user_are_one_target()
    {
        var second = Detection();
        second["id"] = "another";

        Assert.Single(FormatParsing.Node(List(Detection(), second)).Parsed().Targets);
    }

    [Fact]
    public void An_empty_risk_detection_list_names_no_user()
    {
        FormatParsing.Node(List()).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void A_list_item_that_is_not_a_risk_detection_is_a_schema_violation()
    {
        var error = FormatParsing.Node(List(Detection(), new JsonObject { ["user"] = "alice@contoso.com" })).Refused(PayloadErrorKind.SchemaViolation);

        Assert.Equal("$.value[1]", error.Path);
    }

    [Fact]
    public void Without_userId_the_user_principal_name_is_used()
    {
        var detection = Detection();
        detection["userId"] = null;

        Assert.Equal(["UserPrincipalName:omar.haddad@contoso.com"], FormatParsing.Node(detection).Parsed().Identifiers());
    }

    [Fact]
    public void A_display_name_alone_names_no_user()
    {
        var detection = Detection();
        detection.Remove("userId");
        detection.Remove("userPrincipalName");

        FormatParsing.Node(detection).Refused(PayloadErrorKind.NoTargetUser);
    }

    [Fact]
    public void A_malformed_userId_refuses_the_list_whole()
    {
        var bad = HannahDetection();
        bad["userId"] = "cdef5eb6-5d43-45e1-9120-d4b615858b61' or 1 eq 1";

        Assert.Equal("$.value[1].userId", FormatParsing.Node(List(Detection(), bad)).Refused(PayloadErrorKind.InvalidUserIdentifier).Path);
    }

    [Fact]
    public void A_detectedDateTime_that_is_not_a_string_is_a_schema_violation()
    {
        var detection = Detection();
        detection["detectedDateTime"] = 1732418945;

        Assert.Equal("$.detectedDateTime", FormatParsing.Node(detection).Refused(PayloadErrorKind.SchemaViolation).Path);
    }
}
