namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>One run of the pipeline or the baseline at one sandbox latency (scenario 2), measured in its own process.</summary>
internal sealed record LoadRunResult(
    string Variant,
    int LatencyMilliseconds,
    int Concurrency,
    int Targets,
    int Succeeded,
    double Seconds,
    double P50Milliseconds,
    double P99Milliseconds,
    long PeakWorkingSetBytes,
    long AllocatedBytesPerTarget,
    double CpuMillisecondsPerTarget,
    double? AzuriteCpuMillisecondsPerTarget,
    bool LedgerRegistered)
{
    public double TargetsPerSecond => Targets / Seconds;
}
