using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Leavers;

/// <summary><c>Leavers:DisableAccount</c>: a leaver is also disabled, through the real Graph SDK against the sandbox.</summary>
public sealed class LeaverDisablingTests
{
    private const string Kenji = "83ec76c8-bea5-4033-a192-044fb3907bca";

    private static async Task<TargetResult> RunLeaverAsync(TestEnvironment env)
    {
        var result = await env.Pipeline.ProcessAsync(File.ReadAllBytes(TestPaths.Fixture("valid/hr-leaver.json")),
            TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);
        return Assert.Single(result.Targets);
    }

    [Fact]
    public async Task Off_by_default_a_leaver_is_revoked_and_left_enabled()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunLeaverAsync(env);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.True(env.Sandbox.Tenant.FindById(Kenji)!.AccountEnabled);
        Assert.DoesNotContain(env.Sandbox.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task On_a_leaver_is_revoked_then_disabled()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Leavers:DisableAccount"] = "true" });

        var target = await RunLeaverAsync(env);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(Kenji));
        Assert.False(env.Sandbox.Tenant.FindById(Kenji)!.AccountEnabled);
        Assert.Contains("disabled", target.Detail, StringComparison.Ordinal);
        Assert.Single(env.Sandbox.Requests, r => r.Method == "PATCH" && r.Path.EndsWith("/users/" + Kenji, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_disable_keeps_the_revocation_and_names_the_permission()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Leavers:DisableAccount"] = "true" });
        env.Sandbox.Inject(new SandboxFault { Method = "PATCH", PathContains = "/users/", StatusCode = 403 });

        var target = await RunLeaverAsync(env);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(Kenji));
        Assert.True(env.Sandbox.Tenant.FindById(Kenji)!.AccountEnabled);
        Assert.Contains("User.EnableDisableAccount.All", target.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_leavers_are_disabled_never_alert_targets()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Leavers:DisableAccount"] = "true" });

        var result = await env.Pipeline.ProcessAsync(File.ReadAllBytes(TestPaths.Fixture("valid/sentinel-incident.json")),
            TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

        Assert.All(result.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.DoesNotContain(env.Sandbox.Requests, r => r.Method == "PATCH");
        Assert.True(env.Sandbox.Tenant.FindById(FixtureUsers.Bob)!.AccountEnabled);
    }
}
