using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using RevokeFunctions.Graph;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// Writes take their slot when their turn comes, at the share of that moment: a share that grows (a joining instance's
/// second look at the roster, the roster back after an outage) is spent at once, not after the slots planned at the
/// small share. The clock is stepped (<see cref="SteppedClock"/>), so every figure is exact on any machine.
/// </summary>
public sealed class WriteTurnTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);

    // Graph allows 11 writes per second; with a burst of one the limiter spends 10 per second, one every 100 ms. The
    // roster is looked at every 5 s, so a joining instance looks again after 1 s.
    private static GraphRateLimitOptions Options() => new()
    {
        WriteLimit = 11,
        WriteWindow = TimeSpan.FromSeconds(1),
        WriteBurst = 1,
        ResourceUnitLimit = 1_000_000,
        ResourceUnitBurst = 100_000,
        ResourceUnitWindow = TimeSpan.FromSeconds(1),
        Shared = new GraphBudgetOptions { RefreshInterval = TimeSpan.FromSeconds(5), FallbackInstances = 40 },
    };

    [Fact]
    public void An_instance_alone_on_the_roster_spends_its_whole_quota_from_its_second_look_on()
    {
        var clock = new SteppedClock(Start);
        var options = Options();
        var roster = Substitute.For<GraphBudgetRoster>();
        roster.CheckInAsync(default!, default, default, default, default).ReturnsForAnyArgs(call => Alone(call.ArgAt<string>(0), call.ArgAt<DateTimeOffset>(2)));
        var graph = new GraphWriteRecorder(clock.Time);
        using var instance = graph.Instance(0, options, new GraphBudget(roster, options.Shared, clock.Time, NullLogger<GraphBudget>.Instance));

        // Sixteen revocations at once, as sixteen messages in flight: the first look sees this instance alone, but
        // until its second look it may not know who started with it, so it spends no more than 1/40.
        var calls = clock.Start(() => GraphWriteRecorder.Revoke(instance, 16));
        clock.Advance(TimeSpan.FromSeconds(3), Step);

        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        var secondLook = Start + TimeSpan.FromSeconds(1);
        // The whole quota in the first window after the second look (10 per second), none kept at 1/40 (one per 4 s).
        Assert.Equal(10, graph.Writes.Count(w => w.At >= secondLook && w.At < secondLook + TimeSpan.FromSeconds(1)));
        Assert.InRange(graph.Writes.Count(w => w.At < secondLook), 0, 1);
        Assert.InRange(graph.MostInAnyWindow(options.WriteWindow), 1, options.WriteLimit);
    }

    [Fact]
    public void Writes_waiting_at_the_fallback_share_go_at_the_whole_share_once_the_roster_answers_again()
    {
        var clock = new SteppedClock(Start);
        var options = Options();
        var roster = Substitute.For<GraphBudgetRoster>();
        roster.CheckInAsync(default!, default, default, default, default).ReturnsForAnyArgs(
            _ => Task.FromException<IReadOnlyList<GraphBudgetMember>>(new RequestFailedException(503, "The storage account is unavailable.")),
            call => Alone(call.ArgAt<string>(0), call.ArgAt<DateTimeOffset>(2)));
        var graph = new GraphWriteRecorder(clock.Time);
        using var instance = graph.Instance(0, options, new GraphBudget(roster, options.Shared, clock.Time, NullLogger<GraphBudget>.Instance));

        var calls = clock.Start(() => GraphWriteRecorder.Revoke(instance, 16));
        clock.Advance(TimeSpan.FromSeconds(8), Step);

        // Unreachable for the first interval (5 s): 1/40 of the budget, one write per 4 s at most. Answering again, it
        // joins (1/40 until its second look, 1 s later) and then spends the whole budget: all sixteen by 6 s + 1.6 s.
        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        var back = Start + TimeSpan.FromSeconds(5);
        Assert.InRange(graph.Writes.Count(w => w.At < back), 0, 2);
        Assert.InRange(graph.Writes.Count(w => w.At < back + TimeSpan.FromSeconds(1)), 0, 3);
        Assert.InRange(graph.MostInAnyWindow(options.WriteWindow), 1, options.WriteLimit);
    }

    [Fact]
    public void A_cancelled_write_gives_its_slot_to_the_next()
    {
        var clock = new SteppedClock(Start);
        var options = Options();
        options.Shared.Enabled = false;
        var graph = new GraphWriteRecorder(clock.Time);
        using var instance = graph.Instance(0, options, new GraphBudget(null, options.Shared, clock.Time, NullLogger<GraphBudget>.Instance));
        using var cancel = new CancellationTokenSource();

        var (first, cancelled, third) = clock.Start(() => (
            GraphWriteRecorder.Revoke(instance, 1)[0],
            instance.SendAsync(new HttpRequestMessage(HttpMethod.Post, "https://graph.microsoft.com/v1.0/users/a/revokeSignInSessions"), cancel.Token),
            GraphWriteRecorder.Revoke(instance, 1)[0]));
        cancel.Cancel();
        clock.Advance(TimeSpan.FromMilliseconds(150), Step);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(cancelled.IsCanceled);
        Assert.True(third.IsCompletedSuccessfully);
        Assert.Equal([Start, Start + TimeSpan.FromMilliseconds(100)], graph.Writes.Select(w => w.At));
    }

    private static Task<IReadOnlyList<GraphBudgetMember>> Alone(string instance, DateTimeOffset now) =>
        Task.FromResult<IReadOnlyList<GraphBudgetMember>>([new(instance, Writing: true, now)]);
}
