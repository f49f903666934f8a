using System.Text.Json.Nodes;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Risk detections from Graph beta, which name the risk <c>riskType</c>: the same shape otherwise.</summary>
public sealed class RiskDetectionBetaTests
{
    private const string Marcus = "a7d898df-aba0-4899-800c-818aea7804ac";

    private static JsonObject Detection() => SampleFiles.Object("risk-detection-beta.json");

    [Fact]
    public void A_beta_detection_with_riskType_is_a_risk_detection()
    {
        var parsed = FormatParsing.Node(Detection()).Parsed();

        Assert.Equal(RiskDetectionFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal($"ObjectId:{Marcus}", Assert.Single(parsed.Targets).Primary.ToString());
        Assert.Equal("passwordSpray", parsed.Source.Title);
        Assert.Contains("passwordSpray", parsed.Targets[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_beta_list_is_read_like_a_v1_list()
    {
        var list = new JsonObject
        {
            ["@odata.context"] = "https://graph.microsoft.com/beta/$metadata#riskDetections",
            ["value"] = new JsonArray(Detection()),
        };

        Assert.Single(FormatParsing.Node(list).Parsed().Targets);
    }

    [Fact]
    public void When_both_names_are_given_riskEventType_is_the_risk()
    {
        var detection = Detection();
        detection["riskEventType"] = "unfamiliarFeatures";

        Assert.Equal("unfamiliarFeatures", FormatParsing.Node(detection).Parsed().Source.Title);
    }

    [Fact]
    public void A_beta_detection_with_a_bad_userId_is_refused_whole()
    {
        var detection = Detection();
        detection["userId"] = "marcus";

        Assert.Equal("$.userId", FormatParsing.Node(detection).Refused(PayloadErrorKind.InvalidUserIdentifier).Path);
    }
}
