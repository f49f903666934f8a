using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RevokeFunctions.Graph;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Verification;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// One Graph budget for all instances, with the roster on Azurite, as separate instances share the ledger's storage
/// account. Whether their writes stay under Graph's limit is checked on a stepped clock (<see cref="SteppedClock"/>),
/// writes counted in Graph's window as the sandbox counts them, so the verdict does not depend on the machine's load;
/// the pipelines' test shows the same sharing through the app's composition end to end.
/// </summary>
public sealed class SharedGraphBudgetTests
{
    private const int Instances = 3;
    private const int UsersEach = 8;
    private const int GraphWriteLimit = 10;
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Instances_sharing_the_ledger_divide_one_write_budget_and_stay_under_Graphs_limit()
    {
        var (graph, writes) = await RevokeOnSteppedClockAsync(shared: true);

        Assert.Equal(Instances * UsersEach, writes.Count(w => w.IsCompletedSuccessfully));
        // Graph's window never sees more than its limit...
        Assert.InRange(graph.MostInAnyWindow(TimeSpan.FromSeconds(1)), 1, GraphWriteLimit);
        // ...while together the instances spend the whole budget, one write per slot (1/9 s), none held to a fallback.
        var slot = TimeSpan.FromSeconds(1.0 / (GraphWriteLimit - 1));
        var at = graph.Writes.Select(w => w.At).Order().ToArray();
        Assert.InRange(at[^1] - at[0], TimeSpan.Zero, slot * (at.Length - 1) + TimeSpan.FromMilliseconds(1));
        // Each instance a third: its own writes three slots apart.
        Assert.All(graph.Writes.GroupBy(w => w.Instance), own =>
        {
            var times = own.Select(w => w.At).Order().ToArray();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= slot * Instances - TimeSpan.FromMilliseconds(1)));
        });
    }

    [Fact]
    public async Task Instances_each_spending_the_whole_budget_exceed_Graphs_limit()
    {
        var (graph, writes) = await RevokeOnSteppedClockAsync(shared: false);

        Assert.Equal(Instances * UsersEach, writes.Count(w => w.IsCompletedSuccessfully));
        Assert.True(graph.MostInAnyWindow(TimeSpan.FromSeconds(1)) > GraphWriteLimit,
            $"Three instances at the whole budget each put only {graph.MostInAnyWindow(TimeSpan.FromSeconds(1))} writes in one second.");
    }

    [Fact]
    public async Task Instances_sharing_the_ledger_through_the_apps_composition_each_take_a_third_and_revoke_every_target_once()
    {
        var (sandbox, instances) = await StartInstancesAsync();
        await using var _ = new Cleanup(instances);

        // Everyone has checked in once before anyone reads the roster for good, as after the first refresh interval.
        foreach (var instance in instances)
            await instance.Services.GetRequiredService<GraphBudget>().CheckInAsync(CancellationToken.None);
        var shares = new List<GraphBudgetShare>();
        foreach (var instance in instances)
        {
            var budget = instance.Services.GetRequiredService<GraphBudget>();
            await budget.CheckInAsync(CancellationToken.None);
            shares.Add(await budget.ShareAsync(CancellationToken.None));
        }
        Assert.All(shares, s => Assert.Equal((Instances, false), (s.Members, s.IsFallback)));
        Assert.Equal(Enumerable.Range(0, Instances), shares.Select(s => s.Index).Order());

        var results = await Task.WhenAll(instances.Select((instance, i) => instance.Pipeline.ProcessAsync(
            RateLimitedGraph.ListRequest(i * UsersEach, UsersEach), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None)));

        // Whether Graph's window held is the stepped test's question (wall-clock 429s depend on the machine's load):
        // here every target is revoked once, a 429 on the way being retried like any other.
        Assert.All(results.SelectMany(r => r.Targets), t => Assert.Equal(Outcome.Revoked, t.Outcome));
        for (var i = 0; i < Instances * UsersEach; i++)
            Assert.Equal(1, sandbox.RevocationCount(RateLimitedGraph.ObjectId(i)));
    }

    [Fact]
    public async Task An_instance_only_verifying_revocations_through_the_apps_composition_leaves_the_writer_its_whole_write_share()
    {
        var verifyEachSecond = new Dictionary<string, string?> { ["Revocation:Verification:Interval"] = "00:00:01" };
        var (sandbox, instances) = await StartInstancesAsync(2, verifyEachSecond);
        await using var _ = new Cleanup(instances);
        var (writer, verifier) = (instances[0], instances[1]);

        var revoked = await writer.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(0, UsersEach), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);
        Assert.All(revoked.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        // The other instance runs the verification timer: Graph reads only, through its own budget on the same roster.
        var proven = await verifier.Services.GetRequiredService<RevocationVerifier>().VerifyDueAsync(CancellationToken.None);
        Assert.Equal(UsersEach, proven.Count(p => p.State == VerificationState.Verified));

        var writerBudget = writer.Services.GetRequiredService<GraphBudget>();
        await writerBudget.CheckInAsync(CancellationToken.None);
        var writeShare = await writerBudget.ShareAsync(writing: true, CancellationToken.None);
        // The verifier's second look, as after its first refresh interval (its first was provisional, as any newcomer's).
        var verifierBudget = verifier.Services.GetRequiredService<GraphBudget>();
        await verifierBudget.CheckInAsync(writing: false, CancellationToken.None);
        var readShare = await verifierBudget.ShareAsync(writing: false, CancellationToken.None);
        // The verifying instance counts for the resource units only: the writer keeps the whole write schedule.
        Assert.Equal((1, 0, 2, false), (writeShare.Members, writeShare.Index, writeShare.UnitMembers, writeShare.IsFallback));
        Assert.Equal((1, 2, false), (readShare.Members, readShare.UnitMembers, readShare.IsFallback));
        Assert.Equal(UsersEach, Enumerable.Range(0, UsersEach).Sum(i => sandbox.RevocationCount(RateLimitedGraph.ObjectId(i))));
    }

    [Fact]
    public async Task With_the_shared_state_unreachable_an_instance_spends_the_conservative_fallback_share()
    {
        const int fallback = 6;
        var settings = RateLimitedGraph.WriteLimit(12);
        foreach (var (key, value) in ClosedPort)
            settings[key] = value;
        settings["Graph:RateLimit:Shared:FallbackInstances"] = fallback.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Graph allows 3 writes per second; the limiter is told 12, the whole app's. Only the fallback (12 / 6) keeps
        // this instance under Graph's limit.
        await using var env = await RateLimitedGraph.StartAsync(6, settings, sandboxWriteLimit: 3);
        var budget = env.Services.GetRequiredService<GraphBudget>();

        var share = await budget.ShareAsync(CancellationToken.None);
        // A person's request: automated ones wait for the storm guard, whose count is in the same unreachable account.
        var result = await env.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(0, 6), TestEnvironment.Context(RequestChannel.Cli), CancellationToken.None);

        Assert.Equal((fallback, true), (share.Members, share.IsFallback));
        Assert.All(result.Targets, t => Assert.Equal((Outcome.Revoked, true), (t.Outcome, t.LedgerPending)));
        Assert.Equal(6, env.Sandbox.TotalRevocations);
        // At the whole budget (11 writes/s against Graph's 3) most of these would meet a 429; jitter may cost one.
        Assert.InRange(env.Sandbox.Throttled, 0, 1);
    }

    [Fact]
    public async Task Without_a_ledger_there_is_nobody_to_share_with_and_the_instance_takes_the_whole_budget()
    {
        var budget = new GraphBudget(null, new GraphBudgetOptions(), TimeProvider.System, NullLogger<GraphBudget>.Instance);

        var share = await budget.ShareAsync(CancellationToken.None);

        Assert.Equal((1, 0, false), (share.Members, share.Index, share.IsFallback));
        Assert.False(budget.IsShared);
    }

    /// <summary>Azurite's published development account, at a port nothing listens on.</summary>
    private static readonly Dictionary<string, string?> ClosedPort = new()
    {
        ["Ledger:connectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        ["Ledger:Retry:MaxRetries"] = "0",
    };

    /// <summary>
    /// Three budgets with their own roster clients on one Azurite table (or none, each spending the whole budget) see each
    /// other in two looks at the roster, as after the first refresh interval; then eight revocations each start at once
    /// and the clock moves 4 s. The roster's next look is minutes away, so the paced part does no I/O.
    /// </summary>
    private static async Task<(GraphWriteRecorder Graph, Task<HttpResponseMessage>[] Writes)> RevokeOnSteppedClockAsync(bool shared)
    {
        var clock = new SteppedClock(Start);
        var options = new GraphRateLimitOptions
        {
            WriteLimit = GraphWriteLimit,
            WriteWindow = TimeSpan.FromSeconds(1),
            WriteBurst = 1,
            ResourceUnitLimit = 1_000_000,
            ResourceUnitBurst = 100_000,
            ResourceUnitWindow = TimeSpan.FromSeconds(1),
            Shared = new GraphBudgetOptions { Enabled = shared, RefreshInterval = TimeSpan.FromMinutes(5) },
        };
        var table = TestEnvironment.NewTableName();
        var budgets = Enumerable.Range(0, Instances).Select(_ => new GraphBudget(
            new GraphBudgetRoster(new TableServiceClient(Azurite), table, TimeSpan.FromSeconds(30)), options.Shared, clock.Time, NullLogger<GraphBudget>.Instance)).ToArray();
        try
        {
            for (var look = 0; look < 2; look++)
            {
                foreach (var budget in budgets)
                    await budget.CheckInAsync(CancellationToken.None);
            }
            var shares = new List<GraphBudgetShare>();
            foreach (var budget in budgets)
                shares.Add(await budget.ShareAsync(CancellationToken.None));
            Assert.All(shares, s => Assert.Equal((shared ? Instances : 1, false), (s.Members, s.IsFallback)));

            var graph = new GraphWriteRecorder(clock.Time);
            var invokers = budgets.Select((budget, i) => graph.Instance(i, options, budget)).ToArray();
            var writes = clock.Start(() => invokers.SelectMany(invoker => GraphWriteRecorder.Revoke(invoker, UsersEach)).ToArray());
            clock.Advance(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(1));
            foreach (var invoker in invokers)
                invoker.Dispose();
            return (graph, writes);
        }
        finally
        {
            await new TableServiceClient(Azurite).DeleteTableAsync(table);
        }
    }

    /// <summary>Instance 0's sandbox is Graph for all; every instance uses instance 0's ledger table.</summary>
    private static async Task<(GraphSandbox.GraphSandboxServer Sandbox, List<TestEnvironment> Instances)> StartInstancesAsync(
        int count = Instances, Dictionary<string, string?>? extra = null)
    {
        var settings = RateLimitedGraph.WriteLimit(GraphWriteLimit);
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        var first = await RateLimitedGraph.StartAsync(count * UsersEach, settings, GraphWriteLimit);
        var instances = new List<TestEnvironment> { first };
        for (var i = 1; i < count; i++)
        {
            var joining = new Dictionary<string, string?>(settings)
            {
                ["Graph:BaseUrl"] = first.Sandbox.BaseUrl.ToString(),
                ["Ledger:TableName"] = first.LedgerTableName,
            };
            instances.Add(await TestEnvironment.StartAsync(joining, RateLimitedGraph.Tenant(1)));
        }
        return (first.Sandbox, instances);
    }

    private const string Azurite = "UseDevelopmentStorage=true";

    /// <summary>Disposes the joining instances before the first, whose table and sandbox they use.</summary>
    private sealed class Cleanup(List<TestEnvironment> instances) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            for (var i = instances.Count - 1; i >= 0; i--)
                await instances[i].DisposeAsync();
        }
    }
}
