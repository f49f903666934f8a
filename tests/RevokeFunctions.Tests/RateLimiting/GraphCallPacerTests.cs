using RevokeFunctions.Graph;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// The shared write schedule on a fixed clock: instances interleave on one grid, each k slots apart, and a
/// fallback share is 1/FallbackInstances of the budget, never more.
/// </summary>
public sealed class GraphCallPacerTests
{
    // 11 writes per second with a burst of 1: one slot every 100 ms.
    private static readonly GraphRateLimitOptions Options = new() { WriteLimit = 11, WriteWindow = TimeSpan.FromSeconds(1), WriteBurst = 1 };
    private static readonly long Slot = TimeSpan.FromMilliseconds(100).Ticks;
    private static readonly long Now = new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly GraphRequestCost Write = new(1, 1);

    [Fact]
    public void Three_instances_take_distinct_slots_of_one_grid_and_each_repeats_every_third_slot()
    {
        var pacers = Enumerable.Range(0, 3).Select(n => new GraphCallPacer(Options)).ToArray();

        var first = pacers.Select((p, i) => p.Reserve(Write, new GraphBudgetShare(3, i, 1, false), Now, mayWait: true, out _)!.Value.GoAt).ToArray();
        var second = pacers.Select((p, i) => p.Reserve(Write, new GraphBudgetShare(3, i, 1, false), Now, mayWait: true, out _)!.Value.GoAt).ToArray();

        Assert.Equal(3, first.Distinct().Count());
        Assert.All(first, at => Assert.Equal(0, at % Slot));
        Assert.All(first, at => Assert.InRange(at, Now, Now + 3 * Slot));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(3 * Slot, second[i] - first[i]));
        // Together: one write per slot, no two at once.
        Assert.Equal(6, first.Concat(second).Distinct().Count());
    }

    [Fact]
    public void A_fallback_share_spends_one_slot_in_FallbackInstances()
    {
        var pacer = new GraphCallPacer(Options);
        var share = new GraphBudgetShare(40, 7, 1, IsFallback: true);

        var at = Enumerable.Range(0, 3).Select(n => pacer.Reserve(Write, share, Now, mayWait: true, out _)!.Value.GoAt).ToArray();

        Assert.Equal(40 * Slot, at[1] - at[0]);
        Assert.Equal(40 * Slot, at[2] - at[1]);
    }

    [Fact]
    public void After_a_429_the_cut_share_spaces_writes_further_apart()
    {
        var pacer = new GraphCallPacer(Options);
        var cut = new GraphBudgetShare(1, 0, 0.5, false);

        var first = pacer.Reserve(Write, cut, Now, mayWait: true, out _)!.Value.GoAt;
        var second = pacer.Reserve(Write, cut, Now, mayWait: true, out _)!.Value.GoAt;

        Assert.Equal(2 * Slot, second - first);
    }

    [Fact]
    public void A_call_that_may_not_wait_reserves_nothing_and_learns_when_it_could_go()
    {
        var pacer = new GraphCallPacer(Options);
        var alone = new GraphBudgetShare(1, 0, 1, false);
        var aligned = Now + Slot; // exactly on a slot: the first write goes at once

        Assert.Equal(aligned, pacer.Reserve(Write, alone, aligned, mayWait: false, out _)?.GoAt);
        Assert.Null(pacer.Reserve(Write, alone, aligned, mayWait: false, out var retryAt));
        Assert.Equal(aligned + Slot, retryAt);

        // Nothing was reserved by the refused call: the next slot is still free.
        Assert.Equal(aligned + Slot, pacer.Reserve(Write, alone, aligned, mayWait: true, out _)?.GoAt);
    }

    [Fact]
    public void A_slot_given_back_goes_to_the_next_write_at_the_share_of_that_moment()
    {
        var pacer = new GraphCallPacer(Options);
        var aligned = Now + Slot;
        var sent = pacer.Reserve(Write, new GraphBudgetShare(1, 0, 1, false), aligned, mayWait: true, out _)!.Value;
        // Planned at a joining instance's provisional share, numbered so that its own slot is forty slots on.
        var own = (int)(aligned / Slot % 40);
        var provisional = pacer.Reserve(Write, new GraphBudgetShare(40, own, 1, false), aligned, mayWait: true, out _)!.Value;
        Assert.Equal(aligned + 40 * Slot, provisional.GoAt);

        pacer.Cancel(provisional);
        var replanned = pacer.Reserve(Write, new GraphBudgetShare(1, 0, 1, false), aligned, mayWait: true, out _)!.Value;

        Assert.Equal(sent.GoAt + Slot, replanned.GoAt);
        Assert.Equal(40 * Slot, pacer.WriteSpacing(new GraphBudgetShare(40, 0, 1, false)));
    }

    [Fact]
    public void Only_the_latest_write_reservation_can_be_given_back()
    {
        var pacer = new GraphCallPacer(Options);
        var alone = new GraphBudgetShare(1, 0, 1, false);
        var aligned = Now + Slot;
        var first = pacer.Reserve(Write, alone, aligned, mayWait: true, out _)!.Value;
        var second = pacer.Reserve(Write, alone, aligned, mayWait: true, out _)!.Value;

        // The first slot's write was cancelled after the second was planned: giving it back would put two writes on one slot.
        pacer.Cancel(first);

        Assert.Equal(second.GoAt + Slot, pacer.Reserve(Write, alone, aligned, mayWait: true, out _)?.GoAt);
    }
}
