using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Requests;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Tests.Formats;

/// <summary>Which format owns a payload: decided by its shape alone, the same way every time.</summary>
public sealed class FormatDetectionTests
{
    [Theory]
    [InlineData("valid/plain-request-upn.json", NativeRequestFormat.FormatKind)]
    [InlineData("valid/plain-request-list.json", NativeRequestFormat.FormatKind)]
    [InlineData("valid/sentinel-incident.json", SentinelIncidentFormat.FormatKind)]
    [InlineData("edge/sentinel-incident-duplicate-user.json", SentinelIncidentFormat.FormatKind)]
    [InlineData("valid/sentinel-alert.json", SentinelAlertFormat.FormatKind)]
    [InlineData("valid/defender-xdr-alert.json", DefenderAlertFormat.FormatKind)]
    [InlineData("valid/entra-risk-detection.json", RiskDetectionFormat.FormatKind)]
    [InlineData("valid/cloudevent-risk-detection.json", CloudEventFormat.FormatKind)]
    [InlineData("valid/hr-leaver.json", HrLeaverFormat.FormatKind)]
    [InlineData("valid/hr-leaver-employeeid-only.json", HrLeaverFormat.FormatKind)]
    public void Each_source_payload_is_read_by_its_own_format(string file, string kind)
    {
        Assert.Equal(kind, FormatParsing.Fixture(file).Parsed().Source.Kind);
    }

    [Theory]
    [InlineData("risky-users.json", RiskyUserFormat.FormatKind)]
    [InlineData("defender-xdr-alert-page.json", DefenderAlertFormat.FormatKind)]
    [InlineData("defender-xdr-incident.json", GraphIncidentFormat.FormatKind)]
    [InlineData("defender-endpoint-alert.json", EndpointAlertFormat.FormatKind)]
    [InlineData("risk-detection-beta.json", RiskDetectionFormat.FormatKind)]
    public void Each_newer_source_shape_is_read_by_its_own_format_not_refused_as_unknown(string sample, string kind)
    {
        Assert.Equal(kind, FormatParsing.Node(SampleFiles.Load(sample)).Parsed().Source.Kind);
    }

    [Fact]
    public void Envelopes_are_tried_first_and_the_native_request_last()
    {
        var kinds = FormatParsing.Services.GetServices<IPayloadFormat>().Select(f => f.Kind).ToList();

        Assert.Equal(CloudEventFormat.FormatKind, kinds[0]);
        Assert.Equal(NativeRequestFormat.FormatKind, kinds[^1]);
        Assert.Equal(kinds.Count, kinds.Distinct().Count());
        Assert.Equal(10, kinds.Count);
    }

    [Fact]
    public void Member_order_does_not_change_the_format_or_the_targets()
    {
        var incident = FormatParsing.Load("valid/sentinel-incident.json");
        var reversed = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, value) in incident.Reverse().ToList())
        {
            incident.Remove(name);
            reversed[name] = value;
        }

        var parsed = FormatParsing.Node(reversed).Parsed();

        Assert.Equal(SentinelIncidentFormat.FormatKind, parsed.Source.Kind);
        Assert.Equal(FormatParsing.Fixture("valid/sentinel-incident.json").Parsed().Identifiers(), parsed.Identifiers());
    }

    [Theory]
    [InlineData("""{"sid":"x","result":{"userPrincipalName":"alice@contoso.com"}}""")]
    [InlineData("""{"value":[{"userId":"e322f459-1f7e-41e3-b903-5ceb208d9205"}]}""")]
    [InlineData("""{"value":[]}""")]
    [InlineData("""{"userPrincipalName":"alice@contoso.com"}""")]
    [InlineData("""{"aadUserId":"e322f459-1f7e-41e3-b903-5ceb208d9205"}""")]
    [InlineData("""{"properties":{"relatedEntities":[]}}""")]
    public void Shapes_that_only_resemble_a_source_are_UnknownSchema(string json)
    {
        var error = FormatParsing.Json(json).Refused(PayloadErrorKind.UnknownSchema);
        Assert.Equal(Revocation.ReasonCode.UnknownSchema, error.Reason);
    }
}
