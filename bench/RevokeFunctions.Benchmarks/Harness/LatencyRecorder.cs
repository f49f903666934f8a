using System.Diagnostics;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>Per-target latencies of one run, safe to add to from many workers; percentiles by nearest rank.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly double[] milliseconds = new double[capacity];
    private int count;

    public int Count => Volatile.Read(ref count);

    public void Add(long startedTimestamp)
    {
        var index = Interlocked.Increment(ref count) - 1;
        if (index < milliseconds.Length)
            milliseconds[index] = Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds;
    }

    public double Percentile(double percent)
    {
        var n = Math.Min(Count, milliseconds.Length);
        if (n == 0)
            return double.NaN;
        var sorted = milliseconds[..n];
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(percent / 100 * n);
        return sorted[Math.Clamp(rank - 1, 0, n - 1)];
    }
}
