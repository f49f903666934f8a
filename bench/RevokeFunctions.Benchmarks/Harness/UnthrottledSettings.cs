namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// Scenario 2 measures the pipeline's own cost, not Graph's quota: the rate limiter stays in the handler chain (its
/// cost is part of the pipeline) with limits no run reaches.
/// </summary>
internal static class UnthrottledSettings
{
    public static Dictionary<string, string?> Create() => new()
    {
        ["Graph:RateLimit:WriteLimit"] = "1000000",
        ["Graph:RateLimit:WriteBurst"] = "100000",
        ["Graph:RateLimit:WriteWindow"] = "00:00:01",
        ["Graph:RateLimit:ResourceUnitLimit"] = "10000000",
        ["Graph:RateLimit:ResourceUnitBurst"] = "1000000",
        ["Graph:RateLimit:ResourceUnitWindow"] = "00:00:01",
    };
}
