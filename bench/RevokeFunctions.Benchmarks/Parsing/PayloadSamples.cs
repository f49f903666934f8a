using RevokeFunctions.Benchmarks.Harness;

namespace RevokeFunctions.Benchmarks.Parsing;

/// <summary>One real sample per payload format, from the team's shared fixtures (plus the 60-account incident).</summary>
internal static class PayloadSamples
{
    public static readonly IReadOnlyList<(string Format, string File)> All =
    [
        ("native", "valid/plain-request-upn.json"),
        ("native-list", "valid/plain-request-list.json"),
        ("sentinel-incident", "valid/sentinel-incident.json"),
        ("sentinel-incident-60", "edge/sentinel-incident-60-accounts.json"),
        ("sentinel-alert", "valid/sentinel-alert.json"),
        ("defender-alert", "valid/defender-xdr-alert.json"),
        ("risk-detection", "valid/entra-risk-detection.json"),
        ("cloudevent", "valid/cloudevent-risk-detection.json"),
        ("hr-leaver", "valid/hr-leaver.json"),
    ];

    public static string FileOf(string format) => All.Single(s => s.Format == format).File;

    public static byte[] Read(string format) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Fixtures, FileOf(format)));
}
