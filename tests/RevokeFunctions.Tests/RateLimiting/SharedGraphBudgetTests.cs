using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Graph;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// One Graph budget for all instances: several real compositions (each its own limiter and ledger client, as separate
/// instances are) against one throttled sandbox and one Azurite. Assertions are on counts only.
/// </summary>
public sealed class SharedGraphBudgetTests
{
    private const int Instances = 3;
    private const int UsersEach = 8;
    private const int GraphWriteLimit = 10;

    [Fact]
    public async Task Instances_sharing_the_ledger_divide_one_write_budget_and_stay_under_Graphs_limit()
    {
        var (sandbox, instances) = await StartInstancesAsync(shared: true);
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

        var results = await RevokeAllAsync(instances);

        Assert.All(results.SelectMany(r => r.Targets), t => Assert.Equal(Outcome.Revoked, t.Outcome));
        for (var i = 0; i < Instances * UsersEach; i++)
            Assert.Equal(1, sandbox.RevocationCount(RateLimitedGraph.ObjectId(i)));
        // Arrival jitter may let one write land in a full window now and then; a 429 storm it is not.
        Assert.InRange(sandbox.Throttled, 0, 2);
    }

    [Fact]
    public async Task Instances_each_spending_the_whole_budget_meet_Graphs_429s()
    {
        var (sandbox, instances) = await StartInstancesAsync(shared: false);
        await using var _ = new Cleanup(instances);

        await RevokeAllAsync(instances);

        Assert.True(sandbox.Throttled > 2, $"Three instances at the full rate each met only {sandbox.Throttled} 429s.");
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
        var budget = new GraphBudget(null, new GraphBudgetOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<GraphBudget>.Instance);

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

    /// <summary>Instance 0's sandbox is Graph for all; every instance uses instance 0's ledger table.</summary>
    private static async Task<(GraphSandbox.GraphSandboxServer Sandbox, List<TestEnvironment> Instances)> StartInstancesAsync(bool shared)
    {
        var settings = RateLimitedGraph.WriteLimit(GraphWriteLimit);
        settings["Graph:RateLimit:Shared:Enabled"] = shared ? "true" : "false";
        var first = await RateLimitedGraph.StartAsync(Instances * UsersEach, settings, GraphWriteLimit);
        var instances = new List<TestEnvironment> { first };
        for (var i = 1; i < Instances; i++)
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

    private static Task<RevocationResult[]> RevokeAllAsync(List<TestEnvironment> instances) =>
        Task.WhenAll(instances.Select((instance, i) => instance.Pipeline.ProcessAsync(
            RateLimitedGraph.ListRequest(i * UsersEach, UsersEach), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None)));

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
