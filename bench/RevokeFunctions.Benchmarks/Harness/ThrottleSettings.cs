using System.Globalization;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// The sandbox's Graph limits and the limiter's settings that describe them, the way an operator sets
/// <c>Graph:RateLimit</c> from Graph's documented quotas: N writes per (scaled) second, R resource units per (scaled)
/// ten seconds. A burst of one write keeps every one-second window at or under N.
/// </summary>
internal sealed record ThrottleSettings(int WriteLimit, int ResourceUnitLimit, double TimeScale)
{
    /// <summary>Added by the sandbox to every call, before throttling.</summary>
    public TimeSpan Latency { get; init; }

    public TimeSpan WriteWindow => TimeSpan.FromSeconds(TimeScale);

    public TimeSpan ResourceUnitWindow => TimeSpan.FromSeconds(10 * TimeScale);

    public GraphSandbox.GraphSandboxOptions SandboxOptions() => new()
    {
        WriteLimitPerSecond = WriteLimit,
        ResourceUnitsPer10Seconds = ResourceUnitLimit,
        TimeScale = TimeScale,
        Latency = Latency,
    };

    public Dictionary<string, string?> LimiterSettings() => new()
    {
        ["Graph:RateLimit:WriteLimit"] = WriteLimit.ToString(CultureInfo.InvariantCulture),
        ["Graph:RateLimit:WriteWindow"] = WriteWindow.ToString("c", CultureInfo.InvariantCulture),
        ["Graph:RateLimit:WriteBurst"] = "1",
        ["Graph:RateLimit:ResourceUnitLimit"] = ResourceUnitLimit.ToString(CultureInfo.InvariantCulture),
        ["Graph:RateLimit:ResourceUnitWindow"] = ResourceUnitWindow.ToString("c", CultureInfo.InvariantCulture),
        ["Graph:RateLimit:ResourceUnitBurst"] = Math.Max(1, ResourceUnitLimit / 10).ToString(CultureInfo.InvariantCulture),
    };
}
