namespace RevokeFunctions.Graph;

/// <summary>
/// When each Graph call of this instance may go, given its <see cref="GraphBudgetShare"/>.
/// <para><b>Writes</b> follow one schedule for the whole app: slot n is at n × P on the UTC clock (P = the write
/// window ÷ (limit − burst)), and of k instances the one numbered i uses the slots n ≡ i (mod k). The instances'
/// writes therefore interleave evenly instead of bunching, which k independent token buckets cannot promise: each of
/// those may send its one token at the same instant. Slots left unused within the last <c>WriteBurst</c> − 1 slots may be
/// caught up at once; that is the burst, and no window of the quota's length sees more than the limit.</para>
/// <para><b>Resource units</b> (a window ten times the write window's share of a call) use a token bucket in its
/// virtual-time form, at 1/k of the rate and burst.</para>
/// </summary>
internal sealed class GraphCallPacer
{
    private readonly Lock sync = new();
    // Decimal: slot numbers times the period are near 6.4e17 ticks, where a double is off by a hundred ticks, enough to
    // miss the grid and skip a slot.
    private readonly decimal writePeriodTicks;
    private readonly int writeBurst;
    private readonly double unitsPerTick;
    private readonly double unitBurst;
    private readonly int maxQueued;
    private long nextWrite;
    private double unitsFreeAt;
    private int waiting;

    public GraphCallPacer(GraphRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        writePeriodTicks = TimeSpan.TicksPerSecond * (decimal)options.WriteWindow.TotalSeconds / (options.WriteLimit - options.WriteBurst);
        writeBurst = options.WriteBurst;
        unitsPerTick = options.ResourceUnitsPerSecond / TimeSpan.TicksPerSecond;
        unitBurst = options.ResourceUnitBurst;
        maxQueued = options.MaxQueuedCalls;
    }

    /// <summary>
    /// Reserves the call's writes and units: the UTC ticks at which it may go, or null when <c>MaxQueuedCalls</c> calls
    /// wait already and this one would have to wait too (then nothing is reserved).
    /// </summary>
    public long? Reserve(GraphRequestCost cost, GraphBudgetShare share, long now, out long retryAt)
    {
        lock (sync)
        {
            var members = Math.Max(1, share.Members);
            var index = Math.Clamp(share.Index, 0, members - 1);
            var factor = Math.Clamp(share.Factor, 0.01, 1);

            var goAt = now;
            var next = nextWrite;
            if (cost.Writes > 0)
            {
                // The next own slot after the last one used, so own writes stay k slots apart even when the share or the
                // factor (and with them the grid) changed in between; unused slots of the last Burst − 1 may be caught up.
                var period = writePeriodTicks / (decimal)factor;
                var earliest = Math.Max(nextWrite, now - (long)((writeBurst - 1) * period));
                // Two ticks of slack: slot times are rounded to whole ticks, and a rounding must not push a write to the
                // slot after its own (k slots later).
                var slot = (long)decimal.Ceiling((earliest - 2) / period);
                slot += Modulo(index - slot, members);
                slot += (long)members * (Math.Min(cost.Writes, writeBurst) - 1);
                var slotAt = (long)decimal.Ceiling(slot * period);
                goAt = Math.Max(goAt, slotAt);
                next = slotAt + (writeBurst > 1 ? 1 : (long)(members * period));
            }

            var rate = unitsPerTick * factor / members;
            var tolerance = Math.Max(1, unitBurst / members) / rate;
            var start = Math.Max(unitsFreeAt, goAt - tolerance);
            var unitsAt = (long)Math.Ceiling(start);
            goAt = Math.Max(goAt, unitsAt);

            retryAt = goAt;
            if (goAt > now && waiting >= maxQueued)
                return null;
            nextWrite = next;
            unitsFreeAt = start + Math.Min(cost.ResourceUnits, unitBurst) / rate;
            if (goAt > now)
                waiting++;
            return goAt;
        }
    }

    /// <summary>A call that had to wait is on its way (or was cancelled): it no longer counts against <c>MaxQueuedCalls</c>.</summary>
    public void Left()
    {
        lock (sync)
            waiting--;
    }

    private static long Modulo(long value, long modulus) => ((value % modulus) + modulus) % modulus;
}
