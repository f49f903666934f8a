using System.Diagnostics;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>What the process as a whole used: each scenario runs in its own process, so these are the scenario's.</summary>
internal static class Measurement
{
    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    public static long AllocatedBytes() => GC.GetTotalAllocatedBytes(precise: false);
}
