using RevokeFunctions.Benchmarks.Harness;

namespace RevokeFunctions.Benchmarks;

/// <summary>What one invocation measures and with which load; <c>--name value</c> overrides each default.</summary>
internal sealed record BenchPlan(
    int Concurrency,
    string ConcurrencySource,
    int Rounds,
    int TargetsAtZeroLatency,
    int TargetsAtFiftyMilliseconds,
    int WriteLimit,
    int ResourceUnitLimit,
    double ThrottledTimeScale,
    double ThrottledSeconds,
    double MassTimeScale,
    int MassLatencyMilliseconds,
    int MassTargets,
    int[] ScaleInstances,
    double ScaleTimeScale,
    double ScaleSeconds,
    string ScaleBudget)
{
    public static BenchPlan From(BenchArguments arguments)
    {
        var (hostConcurrency, source) = HostConcurrency.Read();
        var concurrency = arguments.Int("concurrency", hostConcurrency);
        return new BenchPlan(
            concurrency,
            arguments.Text("concurrency") is null ? source : "--concurrency",
            arguments.Int("rounds", 3),
            arguments.Int("targets-0ms", 3_000),
            arguments.Int("targets-50ms", 400),
            arguments.Int("write-limit", 20),
            arguments.Int("resource-units", 3_500),
            arguments.Double("throttled-scale", 1.0),
            arguments.Double("throttled-seconds", 30),
            arguments.Double("mass-scale", 0.5),
            arguments.Int("mass-latency", 0),
            arguments.Int("mass-targets", 10_000),
            [.. (arguments.Text("scale-instances") ?? "1,4,16").Split(',').Select(k => int.Parse(k, System.Globalization.CultureInfo.InvariantCulture))],
            arguments.Double("scale-scale", 0.5),
            arguments.Double("scale-seconds", 60),
            arguments.Text("scale-budget") ?? "shared");
    }
}
