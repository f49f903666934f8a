using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Guards;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Pipeline;

/// <summary>
/// "Already revoked" never leaves a session the request meant to end: Graph's <c>signInSessionsValidFromDateTime</c>
/// stands in for a revocation only when it is at or after both the event and the request's first receipt less
/// <c>Revocation:DedupWindow</c>. Through the real pipeline, the Graph SDK against the sandbox and the ledger on Azurite.
/// </summary>
public sealed class AlreadyRevokedRuleTests
{
    private const string Kenji = "83ec76c8-bea5-4033-a192-044fb3907bca";
    private const string Omar = "6b8fe43a-08b3-4bc7-b983-a43953bf5f70";

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static byte[] Leaver(string upn, DateTimeOffset effective) => Encoding.UTF8.GetBytes($$"""
        {"schemaVersion":"1.0","messageType":"leaver","sourceSystem":"Workday","ticket":"HR-{{Guid.NewGuid():N}}",
         "userPrincipalName":"{{upn}}","effectiveDate":"{{Iso(effective)}}"}
        """);

    private static byte[] RiskDetection(DateTimeOffset detected)
    {
        var text = File.ReadAllText(TestPaths.Fixture("valid/entra-risk-detection.json"));
        return Encoding.UTF8.GetBytes(Regex.Replace(text, "\"detectedDateTime\"\\s*:\\s*\"[^\"]*\"", $"\"detectedDateTime\": \"{Iso(detected)}\""));
    }

    private static async Task<TargetResult> RunAsync(TestEnvironment env, byte[] body, DateTimeOffset receivedAt) =>
        Assert.Single((await env.Pipeline.ProcessAsync(body, new RevocationContext(Guid.NewGuid().ToString("D"), RequestChannel.Queue, receivedAt),
            CancellationToken.None)).Targets);

    [Fact]
    public async Task A_back_dated_leaver_revoked_since_for_another_reason_is_revoked_again()
    {
        await using var env = await TestEnvironment.StartAsync();
        var now = DateTimeOffset.UtcNow;
        // Effective 10 days ago, sent today; sessions were revoked 7 days ago for something else, and a session opened since.
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(Kenji, now.AddDays(-7));

        var target = await RunAsync(env, Leaver("kenji.tanaka@contoso.com", now.AddDays(-10)), now);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(Kenji));
    }

    [Fact]
    public async Task An_old_revocation_after_the_event_does_not_stand_in_for_a_request_received_long_after_it()
    {
        await using var env = await TestEnvironment.StartAsync();
        var now = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(Omar, now.AddHours(-1));

        var target = await RunAsync(env, RiskDetection(now.AddHours(-2)), now);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(Omar));
    }

    [Fact]
    public async Task An_alert_storm_about_one_event_still_collapses_within_the_dedup_window()
    {
        await using var env = await TestEnvironment.StartAsync();
        var now = DateTimeOffset.UtcNow;
        // Revoked five minutes ago by the first alert about an event twenty minutes old; this is the next alert about it.
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(Omar, now.AddMinutes(-5));

        var target = await RunAsync(env, RiskDetection(now.AddMinutes(-20)), now);

        Assert.Equal(Outcome.AlreadyRevoked, target.Outcome);
        Assert.Contains("Revocation:DedupWindow", target.Detail, StringComparison.Ordinal);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task The_dedup_window_is_a_setting()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Revocation:DedupWindow"] = "00:01:00" });
        var now = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(Omar, now.AddMinutes(-5));

        var target = await RunAsync(env, RiskDetection(now.AddMinutes(-20)), now);

        Assert.Equal(Outcome.Revoked, target.Outcome);
    }

    [Fact]
    public async Task An_already_revoked_leaver_is_still_disabled_when_the_setting_is_on()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Leavers:DisableAccount"] = "true" });
        var now = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(Kenji, now.AddMinutes(-2));

        var target = await RunAsync(env, Leaver("kenji.tanaka@contoso.com", now.AddDays(-1)), now);

        Assert.Equal(Outcome.AlreadyRevoked, target.Outcome);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.False(env.Sandbox.Tenant.FindById(Kenji)!.AccountEnabled);
        Assert.Contains("disabled", target.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_already_revoked_protected_leaver_is_not_disabled_by_an_HR_message()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Leavers:DisableAccount"] = "true",
            ["Guards:ProtectedGroups:0"] = ProtectedAccountPolicyTests.CeoGroup,
        });
        var now = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(FixtureUsers.Ruth, now.AddMinutes(-2));

        var target = await RunAsync(env, Leaver("ruth.ellison@contoso.com", now.AddDays(-1)), now);

        Assert.Equal(Outcome.Refused, target.Outcome);
        Assert.Equal(ReasonCode.ProtectedAccount, target.Reason);
        Assert.True(env.Sandbox.Tenant.FindById(FixtureUsers.Ruth)!.AccountEnabled);
        Assert.DoesNotContain(env.Sandbox.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task A_dry_run_never_disables_an_already_revoked_leaver()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Leavers:DisableAccount"] = "true" });
        var now = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(Kenji, now.AddMinutes(-2));

        var result = await env.Pipeline.ProcessAsync(Leaver("kenji.tanaka@contoso.com", now.AddDays(-1)),
            new RevocationContext(Guid.NewGuid().ToString("D"), RequestChannel.Queue, now) { DryRun = true }, CancellationToken.None);

        Assert.Equal(Outcome.AlreadyRevoked, Assert.Single(result.Targets).Outcome);
        Assert.True(env.Sandbox.Tenant.FindById(Kenji)!.AccountEnabled);
    }
}
