namespace RevokeFunctions.Graph;

/// <summary>
/// When each Graph call of this instance may go, given its <see cref="GraphBudgetShare"/>.
/// <para><b>Writes</b> follow one schedule for the whole app: slot n is at n × P on the UTC clock (P = the write
/// window ÷ (limit − burst)), and of k writing instances the one numbered i uses the slots n ≡ i (mod k). The instances'
/// writes therefore interleave evenly instead of bunching, which k independent token buckets cannot promise: each of
/// those may send its one token at the same instant. Slots left unused within the last <c>WriteBurst</c> − 1 slots may be
/// caught up at once; that is the burst, and no window of the quota's length sees more than the limit.</para>
/// <para><b>Resource units</b> (a window ten times the write window's share of a call) use a token bucket in its
/// virtual-time form, at 1/n of the rate and burst, n counting the instances that only read as well
/// (<see cref="GraphBudgetShare.UnitMembers"/>).</para>
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
    private long lastWrite;
    private double unitsFreeAt;
    private double unitRate;

    public GraphCallPacer(GraphRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        writePeriodTicks = TimeSpan.TicksPerSecond * (decimal)options.WriteWindow.TotalSeconds / (options.WriteLimit - options.WriteBurst);
        writeBurst = options.WriteBurst;
        unitsPerTick = options.ResourceUnitsPerSecond / TimeSpan.TicksPerSecond;
        unitBurst = options.ResourceUnitBurst;
    }

    /// <summary>
    /// Reserves the call's writes and units: when it may go (UTC ticks), or null when it would have to wait and
    /// <paramref name="mayWait"/> is false (then nothing is reserved). <paramref name="retryAt"/> is when it could go.
    /// </summary>
    public GraphCallReservation? Reserve(GraphRequestCost cost, GraphBudgetShare share, long now, bool mayWait, out long retryAt)
    {
        lock (sync)
        {
            var members = Math.Max(1, share.Members);
            var index = Math.Clamp(share.Index, 0, members - 1);
            var factor = Math.Clamp(share.Factor, 0.01, 1);

            var goAt = now;
            var last = lastWrite;
            if (cost.Writes > 0)
            {
                // The next own slot an own spacing after the last write, at the share of now: k slots of this moment's
                // grid when every write must keep its distance (a burst of one), else any later own slot, since unused
                // slots of the last Burst − 1 may be caught up. A spacing from the share of the last write would hold a
                // write planned at a small share (a joining instance's provisional one, the fallback) k-old slots apart.
                var period = writePeriodTicks / (decimal)factor;
                var spacing = writeBurst > 1 ? 1 : (long)(members * period);
                var earliest = Math.Max(lastWrite + spacing, now - (long)((writeBurst - 1) * period));
                // Two ticks of slack: slot times are rounded to whole ticks, and a rounding must not push a write to the
                // slot after its own (k slots later).
                var slot = (long)decimal.Ceiling((earliest - 2) / period);
                slot += Modulo(index - slot, members);
                slot += (long)members * (Math.Min(cost.Writes, writeBurst) - 1);
                var slotAt = (long)decimal.Ceiling(slot * period);
                goAt = Math.Max(goAt, slotAt);
                last = slotAt;
            }

            var unitMembers = Math.Max(1, share.UnitMembers);
            var rate = unitsPerTick * factor / unitMembers;
            // Units already promised are owed in units, not in time: at a new share they are repaid at its rate, so
            // calls that waited at a small share do not hold back those planned after it grew.
            if (rate != unitRate && unitRate > 0 && unitsFreeAt > now)
                unitsFreeAt = now + (unitsFreeAt - now) * unitRate / rate;
            unitRate = rate;
            var tolerance = Math.Max(1, unitBurst / unitMembers) / rate;
            var start = Math.Max(unitsFreeAt, goAt - tolerance);
            var unitsAt = (long)Math.Ceiling(start);
            goAt = Math.Max(goAt, unitsAt);

            retryAt = goAt;
            if (goAt > now && !mayWait)
                return null;
            var freeAt = start + Math.Min(cost.ResourceUnits, unitBurst) / rate;
            var reservation = new GraphCallReservation(goAt, lastWrite, last, unitsFreeAt, freeAt);
            lastWrite = last;
            unitsFreeAt = freeAt;
            return reservation;
        }
    }

    /// <summary>
    /// Gives back the write slot and the units of a reservation that will not be used (its share changed while it
    /// waited, or its call was cancelled), so the next call may take them. Only the latest reservation can be given back;
    /// units reserved by a call since then stay spent, which errs on the safe side.
    /// </summary>
    public void Cancel(GraphCallReservation reservation)
    {
        lock (sync)
        {
            if (lastWrite == reservation.LastWrite)
                lastWrite = reservation.PreviousLastWrite;
            if (unitsFreeAt == reservation.UnitsFreeAt)
                unitsFreeAt = reservation.PreviousUnitsFreeAt;
        }
    }

    /// <summary>Ticks between two writes of this instance at <paramref name="share"/>, once its burst is spent.</summary>
    public long WriteSpacing(GraphBudgetShare share) =>
        (long)(writePeriodTicks * Math.Max(1, share.Members) / (decimal)Math.Clamp(share.Factor, 0.01, 1));

    private static long Modulo(long value, long modulus) => ((value % modulus) + modulus) % modulus;
}

/// <summary>A call's place in the pacing: when it may go, and the pacer's state before and after it (for <see cref="GraphCallPacer.Cancel"/>).</summary>
internal readonly record struct GraphCallReservation(long GoAt, long PreviousLastWrite, long LastWrite, double PreviousUnitsFreeAt, double UnitsFreeAt);
