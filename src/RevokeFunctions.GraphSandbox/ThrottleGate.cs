using System.Diagnostics;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// Sliding windows for Graph's two throttles: writes per second and resource units per ten seconds. One lock guards
/// both, so a request refused by one never takes room in the other, and a refused request takes no room at all.
/// </summary>
internal sealed class ThrottleGate
{
    private static readonly TimeSpan WriteWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan UnitWindow = TimeSpan.FromSeconds(10);

    private readonly Lock sync = new();
    private readonly Queue<long> writes = new();
    private readonly Queue<(long At, int Units)> units = new();
    private int unitsInWindow;

    /// <summary>Null when the request may proceed (and is counted); otherwise how long until it would fit.</summary>
    public TimeSpan? TryAdmit(GraphSandboxOptions options, bool isWrite, int resourceUnits)
    {
        var writeLimit = isWrite ? options.WriteLimitPerSecond : null;
        var unitLimit = options.ResourceUnitsPer10Seconds;
        if (writeLimit is null && unitLimit is null)
            return null;

        var now = Stopwatch.GetTimestamp();
        var writeWindow = ToTimestampTicks(WriteWindow * options.TimeScale);
        var unitWindow = ToTimestampTicks(UnitWindow * options.TimeScale);
        lock (sync)
        {
            while (writes.Count > 0 && writes.Peek() <= now - writeWindow)
                writes.Dequeue();
            while (units.Count > 0 && units.Peek().At <= now - unitWindow)
                unitsInWindow -= units.Dequeue().Units;

            var wait = 0L;
            if (writeLimit is int maxWrites && writes.Count >= maxWrites)
                wait = Math.Max(wait, TicksUntilWriteFits(maxWrites, now, writeWindow));
            if (unitLimit is int maxUnits && unitsInWindow + resourceUnits > maxUnits)
                wait = Math.Max(wait, TicksUntilUnitsFit(maxUnits, resourceUnits, now, unitWindow));
            if (wait > 0)
                return TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency);

            if (writeLimit is not null)
                writes.Enqueue(now);
            if (unitLimit is not null)
            {
                units.Enqueue((now, resourceUnits));
                unitsInWindow += resourceUnits;
            }

            return null;
        }
    }

    public void Reset()
    {
        lock (sync)
        {
            writes.Clear();
            units.Clear();
            unitsInWindow = 0;
        }
    }

    // The oldest (count - limit + 1) writes must leave the window; the last of them decides.
    private long TicksUntilWriteFits(int limit, long now, long window)
    {
        if (limit <= 0)
            return window;
        var decisive = writes.ElementAt(writes.Count - limit);
        return Math.Max(1, decisive + window - now);
    }

    private long TicksUntilUnitsFit(int limit, int cost, long now, long window)
    {
        if (cost > limit)
            return window;
        var mustFree = unitsInWindow + cost - limit;
        var freed = 0;
        foreach (var (at, spent) in units)
        {
            freed += spent;
            if (freed >= mustFree)
                return Math.Max(1, at + window - now);
        }

        return window;
    }

    private static long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
