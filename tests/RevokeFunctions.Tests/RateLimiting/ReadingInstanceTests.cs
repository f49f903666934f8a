using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using RevokeFunctions.Graph;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// An instance that only reads (the verification timer, scaled on Flex Consumption in its own instance group) shares
/// Graph's resource units but not the write schedule: a writer beside it keeps the whole write budget. The roster is
/// real, on Azurite; the clock is stepped (<see cref="SteppedClock"/>), every check-in finishing before it moves on
/// (<see cref="ClockHeldRoster"/>), so every figure is exact on any machine.
/// </summary>
public sealed class ReadingInstanceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(100);

    // Graph allows 11 writes per second (one slot every 100 ms with a burst of one) and 41 resource units per second
    // (40 per second sustained; a read of one user with $select costs one). The roster is looked at every 5 s.
    private static GraphRateLimitOptions Options(int fallbackInstances = 40) => new()
    {
        WriteLimit = 11,
        WriteWindow = TimeSpan.FromSeconds(1),
        WriteBurst = 1,
        ResourceUnitLimit = 41,
        ResourceUnitBurst = 1,
        ResourceUnitWindow = TimeSpan.FromSeconds(1),
        Shared = new GraphBudgetOptions { RefreshInterval = TimeSpan.FromSeconds(5), FallbackInstances = fallbackInstances },
    };

    [Fact]
    public async Task A_reads_only_instance_takes_half_the_resource_units_and_leaves_the_writer_the_whole_write_budget()
    {
        var clock = new SteppedClock(Start);
        var options = Options();
        await using var roster = new RosterTable();
        var (writer, reader) = (roster.Budget(options, clock), roster.Budget(options, clock));
        await LookTwiceAsync(writer, reader);

        var writeShare = await writer.ShareAsync(writing: true, CancellationToken.None);
        var readShare = await reader.ShareAsync(writing: false, CancellationToken.None);
        // The writer alone on the write schedule; both on the resource units. The reader's Members are the writers: the other one.
        Assert.Equal((1, 0, 2, false), (writeShare.Members, writeShare.Index, writeShare.UnitMembers, writeShare.IsFallback));
        Assert.Equal((1, 2, false), (readShare.Members, readShare.UnitMembers, readShare.IsFallback));

        var graph = new GraphWriteRecorder(clock.Time);
        using var writing = graph.Instance(0, options, writer);
        using var reading = graph.Instance(1, options, reader);
        var calls = clock.Start(() => GraphWriteRecorder.Revoke(writing, 10).Concat(GraphWriteRecorder.Read(reading, 40)).ToArray());
        clock.Advance(TimeSpan.FromSeconds(3), Step);

        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        // One write per slot: the whole budget (sharing it with the reader, as before, is one per 200 ms).
        var writes = graph.Writes.Select(w => w.At).Order().ToArray();
        Assert.Equal(10, writes.Length);
        Assert.Equal(Slot * 9, writes[^1] - writes[0]);
        Assert.InRange(graph.MostInAnyWindow(options.WriteWindow), 1, options.WriteLimit);
        // Half the units: 20 reads per second, one per 50 ms after the first two (the burst); alone it would be 25 ms.
        // (Unit times are rounded to whole ticks, the clock steps whole milliseconds: one step either way.)
        var reads = graph.Reads.Select(r => r.At).Order().ToArray();
        Assert.Equal(40, reads.Length);
        Assert.InRange(reads[^1] - reads[0], TimeSpan.FromMilliseconds(38 * 50) - Step, TimeSpan.FromMilliseconds(38 * 50) + Step);
    }

    [Theory]
    [InlineData(4500)] // half a second before the writer's next look at the roster (every 5 s)
    [InlineData(500)] // four and a half seconds before it: still spending its whole share all that time
    public async Task A_reader_that_starts_writing_joins_the_write_schedule_provisionally_then_takes_its_share(int startsWritingAtMs)
    {
        var clock = new SteppedClock(Start);
        var options = Options();
        await using var roster = new RosterTable();
        var (writer, reader) = (roster.Budget(options, clock), roster.Budget(options, clock));
        await LookTwiceAsync(writer, reader);
        var graph = new GraphWriteRecorder(clock.Time);
        using var writing = graph.Instance(0, options, writer);
        using var reading = graph.Instance(1, options, reader);

        // The writer's seventy take till 9 s at the shares below. The reader reads, then starts writing; the writer
        // counts it at its next look, at 5 s.
        var calls = clock.Start(() => GraphWriteRecorder.Revoke(writing, 70).Concat(GraphWriteRecorder.Read(reading, 10)).ToList());
        clock.Advance(TimeSpan.FromMilliseconds(startsWritingAtMs), Step);
        calls.AddRange(clock.Start(() => GraphWriteRecorder.Revoke(reading, 10)));
        clock.Advance(TimeSpan.FromMilliseconds(10_000 - startsWritingAtMs), Step);

        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        var joined = Start + TimeSpan.FromMilliseconds(startsWritingAtMs);
        // Alone on the write schedule until then: one write per slot.
        Assert.Equal(startsWritingAtMs / 100, graph.Writes.Count(w => w.Instance == 0 && w.At < joined));
        // Provisional first: 1/40 of the budget (one write per 4 s) until it has looked again after the writer looked
        // (it looks every second meanwhile): from 5.5 s on.
        var full = Start + TimeSpan.FromMilliseconds(5500);
        Assert.All(graph.Writes.Where(w => w.Instance == 1), w => Assert.True(w.At >= joined));
        Assert.InRange(graph.Writes.Count(w => w.Instance == 1 && w.At < full), 0, (int)Math.Ceiling((full - joined) / TimeSpan.FromSeconds(4)));
        // Then each half: the writer's own writes two slots apart, the two together one per slot.
        var second = (Start + TimeSpan.FromSeconds(6), Start + TimeSpan.FromSeconds(7));
        Assert.Equal(5, graph.Writes.Count(w => w.Instance == 0 && w.At >= second.Item1 && w.At < second.Item2));
        Assert.Equal(5, graph.Writes.Count(w => w.Instance == 1 && w.At >= second.Item1 && w.At < second.Item2));
        Assert.All(graph.Writes.GroupBy(w => w.Instance), own =>
        {
            var times = own.Where(w => w.At >= second.Item1).Select(w => w.At).Order().ToArray();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= Slot * 2));
        });
        // Graph's window never sees more than its limit, the join included.
        Assert.InRange(graph.MostInAnyWindow(options.WriteWindow), 1, options.WriteLimit);
        var shares = (await writer.ShareAsync(writing: true, CancellationToken.None), await reader.ShareAsync(writing: true, CancellationToken.None));
        Assert.Equal((2, 2), (shares.Item1.Members, shares.Item2.Members));
        Assert.NotEqual(shares.Item1.Index, shares.Item2.Index);
    }

    [Fact]
    public async Task With_the_roster_unreachable_a_writer_and_a_reader_both_spend_the_fallback_share()
    {
        const int fallback = 4;
        var clock = new SteppedClock(Start);
        var options = Options(fallback);
        var unreachable = new ClockHeldRoster(new TableServiceClient(new Uri("http://127.0.0.1:1/devstoreaccount1"),
            new TableSharedKeyCredential(AzuriteAccount, AzuriteKey), new TableClientOptions { Retry = { MaxRetries = 0 } }), TestEnvironment.NewTableName());
        var writer = new GraphBudget(unreachable, options.Shared, clock.Time, NullLogger<GraphBudget>.Instance);
        var reader = new GraphBudget(unreachable, options.Shared, clock.Time, NullLogger<GraphBudget>.Instance);

        var writeShare = await writer.ShareAsync(writing: true, CancellationToken.None);
        var readShare = await reader.ShareAsync(writing: false, CancellationToken.None);
        Assert.Equal((fallback, fallback, true), (writeShare.Members, writeShare.UnitMembers, writeShare.IsFallback));
        Assert.Equal((fallback, fallback, true), (readShare.Members, readShare.UnitMembers, readShare.IsFallback));

        var graph = new GraphWriteRecorder(clock.Time);
        using var writing = graph.Instance(0, options, writer);
        using var reading = graph.Instance(1, options, reader);
        var calls = clock.Start(() => GraphWriteRecorder.Revoke(writing, 3).Concat(GraphWriteRecorder.Read(reading, 6)).ToArray());
        clock.Advance(TimeSpan.FromSeconds(2), Step);

        Assert.All(calls, call => Assert.True(call.IsCompletedSuccessfully));
        // A quarter of each: writes four slots apart, reads at 10 per second after the first two.
        var writes = graph.Writes.Select(w => w.At).Order().ToArray();
        Assert.All(writes.Zip(writes.Skip(1)), pair => Assert.Equal(Slot * fallback, pair.Second - pair.First));
        var reads = graph.Reads.Select(r => r.At).Order().ToArray();
        Assert.InRange(reads[^1] - reads[0], TimeSpan.FromMilliseconds(400) - Step, TimeSpan.FromMilliseconds(400) + Step);
    }

    /// <summary>Each looks at the roster twice, as after the first refresh interval: the writer as a writer, the reader as what its calls say.</summary>
    private static async Task LookTwiceAsync(GraphBudget writer, GraphBudget reader)
    {
        for (var look = 0; look < 2; look++)
        {
            await writer.CheckInAsync(writing: true, CancellationToken.None);
            await reader.CheckInAsync(writing: false, CancellationToken.None);
        }
    }

    private const string AzuriteAccount = "devstoreaccount1";
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>A roster table of its own on Azurite, removed afterwards.</summary>
    private sealed class RosterTable : IAsyncDisposable
    {
        private readonly TableServiceClient service = new("UseDevelopmentStorage=true");
        private readonly string name = TestEnvironment.NewTableName();

        /// <summary>An instance's budget, with its own roster client on the shared table.</summary>
        public GraphBudget Budget(GraphRateLimitOptions options, SteppedClock clock) =>
            new(new ClockHeldRoster(new TableServiceClient("UseDevelopmentStorage=true"), name), options.Shared, clock.Time, NullLogger<GraphBudget>.Instance);

        public async ValueTask DisposeAsync() => await service.DeleteTableAsync(name);
    }
}

/// <summary>
/// The real roster, each check-in run to its end on the thread pool before the caller goes on: under a
/// <see cref="SteppedClock"/> the fake clock cannot move while Table storage answers, so a look at the roster in the
/// middle of a stepped run takes no fake time and happens at the same fake instant on any machine.
/// </summary>
internal sealed class ClockHeldRoster(TableServiceClient service, string tableName) : GraphBudgetRoster(service, tableName, TimeSpan.FromSeconds(30))
{
    public override Task<IReadOnlyList<GraphBudgetMember>> CheckInAsync(string instance, bool writing, DateTimeOffset now, DateTimeOffset liveSince, CancellationToken cancellationToken)
    {
        var answer = Task.Run(() => base.CheckInAsync(instance, writing, now, liveSince, cancellationToken), cancellationToken);
        ((IAsyncResult)answer).AsyncWaitHandle.WaitOne();
        return answer;
    }
}
