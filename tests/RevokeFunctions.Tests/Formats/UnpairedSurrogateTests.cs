using System.Text;
using RevokeFunctions.Requests;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Formats;

/// <summary>
/// A string escape of half a surrogate pair (<c>"\ud800"</c>) is valid JSON syntax but not text; reading it throws in
/// System.Text.Json. Every format must turn it into a typed refusal, never an exception.
/// </summary>
public sealed class UnpairedSurrogateTests
{
    [Theory]
    [InlineData("valid/sentinel-incident.json", "\"aadUserId\": \"dbf36fa1-d4a8-46b4-9147-3a1b11764fd9\"", "\"aadUserId\": \"\\ud800\"")]
    [InlineData("valid/sentinel-incident.json", "\"title\": \"Password", "\"title\": \"\\udfffPassword")]
    [InlineData("valid/sentinel-alert.json", "\"AlertName\": \"Sign-in", "\"AlertName\": \"\\ud800Sign-in")]
    [InlineData("valid/sentinel-alert.json", "[{\\\"$id\\\":\\\"2\\\"", "[{\\\"$id\\\":\\\"\\\\ud800\\\"")]
    [InlineData("valid/sentinel-alert.json", "\\\"Name\\\":\\\"dmitri.volkov\\\"", "\\\"N\\\\ud800ame\\\":\\\"dmitri.volkov\\\"")]
    [InlineData("valid/sentinel-alert.json", "\"Entities\": \"[", "\"Entities\": \"\\ud800[")]
    [InlineData("valid/defender-xdr-alert.json", "\"@odata.type\": \"#microsoft.graph.security.userEvidence\"", "\"@odata.type\": \"\\ud800\"")]
    [InlineData("valid/entra-risk-detection.json", "\"userId\": \"6b8fe43a", "\"userId\": \"\\ud8006b8fe43a")]
    [InlineData("valid/cloudevent-risk-detection.json", "\"id\": \"23a4ef96", "\"id\": \"\\ud80023a4ef96")]
    [InlineData("valid/cloudevent-risk-detection.json", "\"subject\": \"identity", "\"subject\": \"\\ud800identity")]
    [InlineData("valid/cloudevent-risk-detection.json", "\"specversion\": \"1.0\"", "\"specversion\": \"\\ud8001.0\"")]
    [InlineData("valid/hr-leaver.json", "\"ticket\": \"HR", "\"ticket\": \"\\ud800HR")]
    [InlineData("valid/hr-leaver.json", "\"employeeId\": \"100482\"", "\"employeeId\": \"\\udfff\"")]
    public void Is_a_typed_refusal(string file, string find, string replace)
    {
        var json = File.ReadAllText(TestPaths.Fixture(file));
        Assert.Contains(find, json, StringComparison.Ordinal);

        var result = FormatParsing.Parser.Parse(Encoding.UTF8.GetBytes(json.Replace(find, replace, StringComparison.Ordinal)), FormatParsing.Arrival);

        Assert.False(result.Succeeded);
        Assert.Equal(Revocation.ReasonCode.InvalidPayload, result.Error.Reason);
        Assert.Contains(result.Error.Kind, new[] { PayloadErrorKind.SchemaViolation, PayloadErrorKind.InvalidUserIdentifier });
    }

    [Fact]
    public void A_top_level_property_name_with_half_a_surrogate_pair_is_a_typed_refusal()
    {
        var result = FormatParsing.Json("""{"us\ud800er":"alice@contoso.com","requestedBy":"tessa.morgan@contoso.com"}""");

        Assert.False(result.Succeeded);
        Assert.Equal(PayloadErrorKind.MalformedJson, result.Error.Kind);
    }

    [Fact]
    public void An_empty_Graph_list_with_a_broken_context_is_unknown_not_a_crash()
    {
        var result = FormatParsing.Json("""{"@odata.context":"\ud800riskDetections","value":[]}""");

        Assert.Equal(PayloadErrorKind.UnknownSchema, result.Error?.Kind);
    }
}
