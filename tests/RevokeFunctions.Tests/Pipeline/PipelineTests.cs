using System.Text;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Pipeline;

/// <summary>The pipeline through the real Graph SDK against the Graph sandbox.</summary>
public sealed class PipelineTests
{
    private static ReadOnlyMemory<byte> Request(string user) =>
        Encoding.UTF8.GetBytes($$"""{"user": "{{user}}", "reason": "test", "requestedBy": "tessa.morgan@contoso.com"}""");

    private static async Task<TargetResult> RunSingleAsync(TestEnvironment env, string user, bool dryRun = false)
    {
        var result = await env.Pipeline.ProcessAsync(Request(user), TestEnvironment.Context(dryRun: dryRun), CancellationToken.None);
        Assert.Null(result.Error);
        return Assert.Single(result.Targets);
    }

    [Theory]
    [InlineData("alice@contoso.com")]
    [InlineData("ALICE@Contoso.com")]
    [InlineData("e322f459-1f7e-41e3-b903-5ceb208d9205")]
    [InlineData("E322F459-1F7E-41E3-B903-5CEB208D9205")]
    [InlineData("{E322F459-1F7E-41E3-B903-5CEB208D9205}")]
    public async Task A_user_named_by_UPN_or_object_ID_is_revoked_once_by_canonical_ID(string user)
    {
        await using var env = await TestEnvironment.StartAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var target = await RunSingleAsync(env, user);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(FixtureUsers.Alice, target.UserId);
        Assert.Equal(user, target.Given);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.True(env.Sandbox.Tenant.FindById(FixtureUsers.Alice)!.SignInSessionsValidFromDateTime >= before);
        Assert.Contains(env.Sandbox.Requests, r => r.Method == "POST" && r.Path.EndsWith($"/users/{FixtureUsers.Alice}/revokeSignInSessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_guest_is_resolved_with_its_hash_percent_encoded_and_refused_with_advice()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunSingleAsync(env, "jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com");

        Assert.Equal(Outcome.Refused, target.Outcome);
        Assert.Equal(ReasonCode.GuestUser, target.Reason);
        Assert.Equal(FixtureUsers.GuestJo, target.UserId);
        Assert.Contains("Disable", target.Detail, StringComparison.Ordinal);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Contains(env.Sandbox.Requests, r => r.Path.EndsWith("/users/jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_user_is_NotFound_and_nothing_is_revoked()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunSingleAsync(env, "nobody@contoso.com");

        Assert.Equal(Outcome.NotFound, target.Outcome);
        Assert.Equal(ReasonCode.UserNotFound, target.Reason);
        Assert.Null(target.UserId);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_mail_address_that_is_not_a_UPN_resolves_through_an_escaped_mail_filter()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunSingleAsync(env, "paul.meyer@contoso.com");

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(FixtureUsers.PaulMeyer, target.UserId);
        Assert.Contains(env.Sandbox.Requests, r => r.Filter == "mail eq 'paul.meyer@contoso.com'");
    }

    [Fact]
    public async Task A_quote_in_an_address_is_doubled_in_the_filter_and_cannot_widen_it()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunSingleAsync(env, "o'brien@contoso.com");

        Assert.Equal(Outcome.NotFound, target.Outcome);
        Assert.Contains(env.Sandbox.Requests, r => r.Filter == "mail eq 'o''brien@contoso.com'");
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task An_internationalised_domain_is_looked_up_in_its_ASCII_form_not_folded()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunSingleAsync(env, "lena.berg@müller.contoso.com");

        Assert.Equal(FixtureUsers.LenaIdn, target.UserId);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.LenaDecoy));
    }

    [Fact]
    public async Task Graph_403_on_revoke_fails_naming_the_missing_permission()
    {
        await using var env = await TestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 403 });

        var target = await RunSingleAsync(env, "alice@contoso.com");

        Assert.Equal(Outcome.Failed, target.Outcome);
        Assert.Equal(ReasonCode.GraphForbidden, target.Reason);
        Assert.Contains("User.RevokeSessions.All", target.Detail, StringComparison.Ordinal);
        Assert.False(target.IsTransient);
    }

    [Fact]
    public async Task Graph_403_on_lookup_names_the_read_permission()
    {
        await using var env = await TestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "GET", PathContains = "/users", StatusCode = 403 });

        var target = await RunSingleAsync(env, "alice@contoso.com");

        Assert.Equal(ReasonCode.GraphForbidden, target.Reason);
        Assert.Contains("User.Read.All", target.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_429_with_Retry_After_is_retried_by_the_SDK_and_then_succeeds_once()
    {
        await using var env = await TestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 429, Times = 1, RetryAfterSeconds = 1 });
        var started = DateTimeOffset.UtcNow;

        var target = await RunSingleAsync(env, "alice@contoso.com");

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        var posts = env.Sandbox.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal([429, 200], posts.Select(p => p.StatusCode));
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromSeconds(0.9), "the SDK must wait for Retry-After");
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Graph_503_past_the_SDK_retries_is_a_transient_failure_not_an_exception()
    {
        await using var env = await TestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });

        var target = await RunSingleAsync(env, "alice@contoso.com");

        Assert.Equal(Outcome.Failed, target.Outcome);
        Assert.Equal(ReasonCode.GraphUnavailable, target.Reason);
        Assert.True(target.IsTransient);
        Assert.Equal(FixtureUsers.Alice, target.UserId);
        Assert.Equal(3, env.Sandbox.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Sessions_already_revoked_after_the_event_are_AlreadyRevoked_with_no_write()
    {
        await using var env = await TestEnvironment.StartAsync();
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(FixtureUsers.Alice, DateTimeOffset.UtcNow.AddMinutes(5));

        var target = await RunSingleAsync(env, "alice@contoso.com");

        Assert.Equal(Outcome.AlreadyRevoked, target.Outcome);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_dry_run_checks_everything_and_writes_nothing()
    {
        await using var env = await TestEnvironment.StartAsync();

        var target = await RunSingleAsync(env, "alice@contoso.com", dryRun: true);

        Assert.Equal(Outcome.WouldRevoke, target.Outcome);
        Assert.Equal(FixtureUsers.Alice, target.UserId);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task The_same_user_named_by_UPN_and_object_ID_is_one_target_revoked_once()
    {
        await using var env = await TestEnvironment.StartAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"requests":[{"user":"alice@contoso.com"},{"user":"{{FixtureUsers.Alice}}"},{"user":"grace.kim@contoso.com"}]}""");

        var result = await env.Pipeline.ProcessAsync(body, TestEnvironment.Context(), CancellationToken.None);

        Assert.Equal([FixtureUsers.Alice, FixtureUsers.Grace], result.Targets.Select(t => t.UserId));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(2, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task More_targets_than_the_cap_revoke_nobody()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:MaxTargets"] = "1" });
        var body = Encoding.UTF8.GetBytes("""{"requests":[{"user":"alice@contoso.com"},{"user":"grace.kim@contoso.com"}]}""");

        var result = await env.Pipeline.ProcessAsync(body, TestEnvironment.Context(), CancellationToken.None);

        Assert.Equal(ReasonCode.TooManyTargets, result.Error!.Reason);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task An_invalid_payload_sends_no_Graph_request_at_all()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await env.Pipeline.ProcessAsync(File.ReadAllBytes(TestPaths.Fixture("invalid/injection-user.json")),
            TestEnvironment.Context(), CancellationToken.None);

        Assert.Equal(ReasonCode.InvalidPayload, result.Error!.Reason);
        Assert.Empty(env.Sandbox.Requests);
    }
}
