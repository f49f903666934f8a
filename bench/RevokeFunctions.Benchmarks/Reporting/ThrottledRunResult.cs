namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>Scenario 3: the pipeline against a sandbox that enforces Graph's write and resource-unit limits.</summary>
/// <param name="WriteLimit">N: writes the sandbox accepts per (scaled) second.</param>
/// <param name="SustainedPerSecond">Revocations per real second between the first and the last one Graph accepted.</param>
/// <param name="Lost">Targets never revoked.</param>
/// <param name="Duplicates">Revocations beyond the first for one user.</param>
internal sealed record ThrottledRunResult(
    int WriteLimit,
    int ResourceUnitLimit,
    double TimeScale,
    int Concurrency,
    int Targets,
    double Seconds,
    double SustainedPerSecond,
    int Throttled,
    int GraphCalls,
    int Lost,
    int Duplicates,
    int FailedOutcomes,
    long PeakWorkingSetBytes,
    bool LedgerRegistered)
{
    /// <summary>N in real seconds: N ÷ time scale.</summary>
    public double EffectiveLimit => WriteLimit / TimeScale;

    public double SustainedRatio => SustainedPerSecond / EffectiveLimit;

    public double ThrottledPercent => GraphCalls == 0 ? 0 : 100.0 * Throttled / GraphCalls;
}
