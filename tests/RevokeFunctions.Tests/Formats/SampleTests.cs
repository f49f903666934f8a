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
    [InlineData("risk-detection.json", RiskDetectionFormat.FormatKind, 1)]
    [InlineData("cloudevent-risk-detection.json", CloudEventFormat.FormatKind, 1)]
    [InlineData("hr-leaver.json", HrLeaverFormat.FormatKind, 1)]
    [InlineData("hr-leaver-future.json", HrLeaverFormat.FormatKind, 1)]
    public void Each_sample_is_read_by_its_format(string sample, string kind, int targets)
    {
        var body = File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "samples", sample));

        var parsed = FormatParsing.Parser.Parse(body, FormatParsing.Arrival).Parsed();

        Assert.Equal(kind, parsed.Source.Kind);
        Assert.Equal(targets, parsed.Targets.Count);
    }

    [Fact]
    public void Every_payload_sample_is_covered()
    {
        var samples = Directory.EnumerateFiles(Path.Combine(TestPaths.RepositoryRoot, "samples"), "*.json")
            .Select(Path.GetFileName)
            .Where(name => name != "tenant.json")
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["cloudevent-risk-detection.json", "defender-xdr-alert.json", "hr-leaver-future.json", "hr-leaver.json",
             "plain-request-list.json", "plain-request.json", "risk-detection.json", "sentinel-alert.json",
             "sentinel-incident-trigger.json", "sentinel-incident.json"],
            samples);
    }
}
