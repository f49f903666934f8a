using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Formats;

/// <summary>The payload samples in samples/ that the README points operators to stay readable by their format.</summary>
public sealed class SampleTests
{
    [Theory]
    [InlineData("plain-request.json", NativeRequestFormat.FormatKind, 1)]
    [InlineData("plain-request-list.json", NativeRequestFormat.FormatKind, 2)]
    [InlineData("sentinel-incident.json", SentinelIncidentFormat.FormatKind, 2)]
    [InlineData("sentinel-incident-trigger.json", SentinelIncidentFormat.FormatKind, 2)]
    [InlineData("sentinel-alert.json", SentinelAlertFormat.FormatKind, 1)]
    [InlineData("defender-xdr-alert.json", DefenderAlertFormat.FormatKind, 1)]
    [InlineData("defender-xdr-alert-page.json", DefenderAlertFormat.FormatKind, 2)]
    [InlineData("defender-xdr-incident.json", GraphIncidentFormat.FormatKind, 1)]
    [InlineData("defender-endpoint-alert.json", EndpointAlertFormat.FormatKind, 1)]
    [InlineData("risk-detection.json", RiskDetectionFormat.FormatKind, 1)]
    [InlineData("risk-detection-beta.json", RiskDetectionFormat.FormatKind, 1)]
    [InlineData("risky-users.json", RiskyUserFormat.FormatKind, 2)]
    [InlineData("cloudevent-risk-detection.json", CloudEventFormat.FormatKind, 1)]
    [InlineData("hr-leaver.json", HrLeaverFormat.FormatKind, 1)]
    [InlineData("hr-leaver-future.json", HrLeaverFormat.FormatKind, 1)]
    [InlineData("hr-leaver-rescheduled.json", HrLeaverFormat.FormatKind, 1)]
    [InlineData("hr-leaver-rescinded.json", HrLeaverFormat.FormatKind, 1)]
    public void Each_sample_is_read_by_its_format(string sample, string kind, int targets)
    {
        var body = File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "samples", sample));

        var parsed = FormatParsing.Parser.Parse(body, FormatParsing.Arrival).Parsed();

        Assert.Equal(kind, parsed.Source.Kind);
        Assert.Equal(targets, parsed.Targets.Count);
    }

    [Fact]
    public void The_Event_Grid_batch_sample_splits_into_CloudEvents_each_read_alone()
    {
        var body = File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "samples", "eventgrid-cloudevents-batch.json"));

        var batch = FormatParsing.Parser.SplitBatch(body);

        Assert.Null(batch.Error);
        Assert.Equal(2, batch.Items.Count);
        Assert.All(batch.Items, item =>
        {
            Assert.Null(item.Error);
            var parsed = FormatParsing.Parser.Parse(item.Body, FormatParsing.Arrival).Parsed();
            Assert.Equal(CloudEventFormat.FormatKind, parsed.Source.Kind);
            Assert.Equal(item.EventId, parsed.Source.Id);
            Assert.Single(parsed.Targets);
        });
    }

    [Fact]
    public void Every_payload_sample_is_covered()
    {
        var samples = Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "samples"), "*.json")
            .Select(Path.GetFileName)
            .Where(name => name != "tenant.json")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["cloudevent-risk-detection.json", "defender-endpoint-alert.json", "defender-xdr-alert-page.json", "defender-xdr-alert.json",
             "defender-xdr-incident.json", "eventgrid-cloudevents-batch.json", "hr-leaver-future.json", "hr-leaver-rescheduled.json",
             "hr-leaver-rescinded.json", "hr-leaver.json",
             "plain-request-list.json", "plain-request.json", "risk-detection-beta.json", "risk-detection.json", "risky-users.json",
             "sentinel-alert.json", "sentinel-incident-trigger.json", "sentinel-incident.json"],
            samples);
    }
}
