using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// The client-side Graph rate limit, through the real Graph SDK against a sandbox that enforces Graph's write limit.
/// Assertions are on counts and lower bounds only: a slow machine makes every run slower, never faster.
/// </summary>
public sealed class GraphRateLimitTests
{
    private const int Burst = 24;
    private const int GraphWriteLimit = 10;

    [Fact]
    public async Task A_burst_of_revocations_is_paced_under_Graphs_write_limit_and_none_is_lost()
    {
        await using var env = await RateLimitedGraph.StartAsync(Burst, RateLimitedGraph.WriteLimit(GraphWriteLimit), GraphWriteLimit);

        var result = await env.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(0, Burst), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        Assert.Equal(Burst, result.Targets.Count);
        Assert.All(result.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        for (var i = 0; i < Burst; i++)
            Assert.Equal(1, env.Sandbox.RevocationCount(RateLimitedGraph.ObjectId(i)));
        // Arrival jitter may let one write land in a full window now and then; a 429 storm it is not.
        Assert.InRange(env.Sandbox.Throttled, 0, 2);
    }

    [Fact]
    public async Task Without_the_rate_limit_the_same_burst_meets_Graphs_429s()
    {
        var settings = RateLimitedGraph.WriteLimit(GraphWriteLimit);
        settings["Graph:RateLimit:Enabled"] = "false";
        await using var env = await RateLimitedGraph.StartAsync(Burst, settings, GraphWriteLimit);

        await env.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(0, Burst), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        Assert.True(env.Sandbox.Throttled > 0, "Eight revocations at once exceed ten per second only if the limiter is what paces them.");
    }

    [Fact]
    public async Task A_429_pauses_every_caller_until_its_Retry_After()
    {
        await using var env = await RateLimitedGraph.StartAsync(2, [], sandboxWriteLimit: null);
        var first = RateLimitedGraph.ObjectId(0);
        var second = RateLimitedGraph.ObjectId(1);
        // The first user's revocation is throttled for 3 s; the second user's resolution answers 1 s later, well after
        // that 429, so its revocation would go out at once if the 429 did not pause everyone.
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = first, StatusCode = 429, RetryAfterSeconds = 3, Times = 1 });
        env.Sandbox.Inject(new SandboxFault { Method = "GET", PathContains = RateLimitedGraph.Upn(1), Delay = TimeSpan.FromSeconds(1), Times = 1 });

        var results = await Task.WhenAll(
            env.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(0, 1), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None),
            env.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(1, 1), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None));

        Assert.All(results, r => Assert.Equal(Outcome.Revoked, Assert.Single(r.Targets).Outcome));
        var throttled = Assert.Single(env.Sandbox.Requests, r => r.StatusCode == 429);
        var secondRevocation = Assert.Single(env.Sandbox.Requests, r => r.Method == "POST" && r.Path.Contains(second, StringComparison.Ordinal));
        Assert.True(secondRevocation.At - throttled.At >= TimeSpan.FromSeconds(2.5),
            $"The second revocation reached Graph {(secondRevocation.At - throttled.At).TotalSeconds:F2} s after the 429; Retry-After was 3 s.");
        Assert.Equal(1, env.Sandbox.RevocationCount(first));
        Assert.Equal(1, env.Sandbox.RevocationCount(second));
    }

    [Fact]
    public async Task Calls_beyond_the_queue_limit_are_answered_429_without_reaching_Graph_and_stay_retryable()
    {
        var settings = RateLimitedGraph.WriteLimit(2);
        settings["Graph:RateLimit:MaxQueuedCalls"] = "1";
        settings["Graph:MaxRetries"] = "0";
        await using var env = await RateLimitedGraph.StartAsync(8, settings, sandboxWriteLimit: null);

        var result = await env.Pipeline.ProcessAsync(RateLimitedGraph.ListRequest(0, 8), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        // Eight revocations at once, one token, one waiting place: most are turned away before they reach Graph.
        Assert.Equal(0, env.Sandbox.Throttled);
        var turnedAway = result.Targets.Where(t => t.Outcome == Outcome.Failed).ToList();
        Assert.NotEmpty(turnedAway);
        Assert.All(turnedAway, t =>
        {
            Assert.Equal(ReasonCode.GraphUnavailable, t.Reason);
            Assert.True(t.IsTransient);
            Assert.Equal(0, env.Sandbox.RevocationCount(t.UserId!));
        });
        Assert.Equal(8 - turnedAway.Count, env.Sandbox.TotalRevocations);
    }

    [Theory]
    [InlineData("WriteBurst", "3000")]
    [InlineData("ResourceUnitBurst", "3500")]
    [InlineData("WriteLimit", "0")]
    [InlineData("WriteWindow", "00:00:00")]
    public async Task Settings_that_cannot_describe_a_limit_stop_the_app_naming_the_setting(string name, string value)
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Graph:RateLimit:" + name] = value });

        var error = Assert.Throws<OptionsValidationException>(() => env.Services.GetRequiredService<GraphServiceClient>());

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
