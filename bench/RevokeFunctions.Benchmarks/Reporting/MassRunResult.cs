namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>Scenario 4: a mass incident drained end to end through the queue handler.</summary>
internal sealed record MassRunResult(
    int WriteLimit,
    double TimeScale,
    int LatencyMilliseconds,
    int Concurrency,
    int MaxTargetsPerPayload,
    int Targets,
    int Messages,
    double Seconds,
    int Throttled,
    int GraphCalls,
    int Lost,
    int Duplicates,
    int DeadLettered,
    int FollowUps,
    int Abandoned,
    long PeakWorkingSetBytes,
    bool LedgerRegistered)
{
    /// <summary>The throttle-limited ideal: every target at exactly N writes per (scaled) second.</summary>
    public double IdealSeconds => Targets / (WriteLimit / TimeScale);

    public double RatioToIdeal => Seconds / IdealSeconds;
}
