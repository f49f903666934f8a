namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>Scenario 5: k instances draining one backlog against one throttled Graph.</summary>
internal sealed record ScaleOutRunResult(
    int Instances,
    bool SharedBudget,
    int WriteLimit,
    double TimeScale,
    int Concurrency,
    int Targets,
    double Seconds,
    double SustainedPerSecond,
    int Throttled,
    int GraphCalls,
    int Lost,
    int Duplicates,
    int DeadLettered,
    int FollowUps,
    int Abandoned,
    bool LedgerRegistered)
{
    /// <summary>N in writes per real second.</summary>
    public double EffectiveLimit => WriteLimit / TimeScale;

    public double SustainedRatio => SustainedPerSecond / EffectiveLimit;

    public double ThrottledPercent => GraphCalls == 0 ? 0 : 100.0 * Throttled / GraphCalls;

    public double IdealSeconds => Targets / EffectiveLimit;

    public double RatioToIdeal => Seconds / IdealSeconds;
}
