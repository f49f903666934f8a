namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>Scenario 1: BenchmarkDotNet's figures for one payload format, on one core.</summary>
internal sealed record ParsingResult(string Format, string File, int Bytes, double MeanNanoseconds, long AllocatedBytes)
{
    public double PayloadsPerSecond => 1e9 / MeanNanoseconds;
}
