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

        var first = pacers.Select((p, i) => p.Reserve(Write, new GraphBudgetShare(3, i, 1, false), Now, out _)!.Value).ToArray();
        var second = pacers.Select((p, i) => p.Reserve(Write, new GraphBudgetShare(3, i, 1, false), Now, out _)!.Value).ToArray();

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

        var at = Enumerable.Range(0, 3).Select(n => pacer.Reserve(Write, share, Now, out _)!.Value).ToArray();

        Assert.Equal(40 * Slot, at[1] - at[0]);
        Assert.Equal(40 * Slot, at[2] - at[1]);
    }

    [Fact]
    public void After_a_429_the_cut_share_spaces_writes_further_apart()
    {
        var pacer = new GraphCallPacer(Options);
        var cut = new GraphBudgetShare(1, 0, 0.5, false);

        var first = pacer.Reserve(Write, cut, Now, out _)!.Value;
        var second = pacer.Reserve(Write, cut, Now, out _)!.Value;

        Assert.Equal(2 * Slot, second - first);
    }

    [Fact]
    public void A_call_that_would_wait_beyond_MaxQueuedCalls_reserves_nothing()
    {
        var pacer = new GraphCallPacer(new GraphRateLimitOptions { WriteLimit = 11, WriteWindow = TimeSpan.FromSeconds(1), WriteBurst = 1, MaxQueuedCalls = 1 });
        var alone = new GraphBudgetShare(1, 0, 1, false);
        var aligned = Now + Slot; // exactly on a slot: the first write goes at once

        Assert.Equal(aligned, pacer.Reserve(Write, alone, aligned, out _));
        Assert.Equal(aligned + Slot, pacer.Reserve(Write, alone, aligned, out _));
        Assert.Null(pacer.Reserve(Write, alone, aligned, out var retryAt));
        Assert.Equal(aligned + 2 * Slot, retryAt);

        pacer.Left();
        Assert.Equal(aligned + 2 * Slot, pacer.Reserve(Write, alone, aligned, out _));
    }
}
