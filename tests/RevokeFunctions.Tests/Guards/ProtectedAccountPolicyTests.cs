using RevokeFunctions.Graph;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Guards;
using RevokeFunctions.Requests;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Users;

namespace RevokeFunctions.Tests.Guards;

/// <summary>Protected accounts through the real Graph SDK against the sandbox's fixture tenant.</summary>
public sealed class ProtectedAccountPolicyTests
{
    /// <summary>The fixture tenant's protected group: Ruth Ellison, the CEO, is its member.</summary>
    public const string CeoGroup = "6be4fb7f-3426-4ac5-bb93-6996eb9b05ba";

    private static async Task<DirectoryUser> ResolveAsync(GuardHost host, string user)
    {
        Assert.True(UserIdentifier.TryCreate(user, out var identifier, out var problem), problem);
        var lookup = await host.Get<IUserDirectory>().FindAsync(identifier, CancellationToken.None);
        return Assert.IsType<DirectoryUser>(lookup.User);
    }

    private static int MembershipChecks(GraphSandboxServer sandbox) =>
        sandbox.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/checkMemberGroups", StringComparison.Ordinal));

    [Fact]
    public async Task An_account_listed_by_object_ID_is_protected_without_asking_Graph()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?>
        {
            ["Guards:ProtectedAccounts:0"] = FixtureUsers.Ruth.ToUpperInvariant(),
        });
        var ruth = await ResolveAsync(host, "ruth.ellison@contoso.com");
        var alice = await ResolveAsync(host, "alice@contoso.com");
        var policy = host.Get<IProtectedAccountPolicy>();

        var ruthStatus = await policy.CheckAsync(ruth, CancellationToken.None);
        var aliceStatus = await policy.CheckAsync(alice, CancellationToken.None);

        Assert.True(ruthStatus.IsProtected);
        Assert.Contains("Guards:ProtectedAccounts", ruthStatus.Because, StringComparison.Ordinal);
        Assert.False(aliceStatus.IsProtected);
        Assert.False(aliceStatus.IsUnknown);
        Assert.Equal(0, MembershipChecks(host.Sandbox));
    }

    [Theory]
    [InlineData("RUTH.ELLISON@Contoso.COM")]
    [InlineData("ruth.ellison@contoso.com")]
    public async Task An_account_listed_by_UPN_is_protected_in_any_case(string configured)
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedAccounts:0"] = configured });
        var ruth = await ResolveAsync(host, FixtureUsers.Ruth);
        var tessa = await ResolveAsync(host, FixtureUsers.Tessa);
        var policy = host.Get<IProtectedAccountPolicy>();

        Assert.True((await policy.CheckAsync(ruth, CancellationToken.None)).IsProtected);
        Assert.False((await policy.CheckAsync(tessa, CancellationToken.None)).IsProtected);
    }

    [Fact]
    public async Task An_account_listed_with_a_Unicode_domain_matches_its_IDNA_form()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedAccounts:0"] = "lena.berg@müller.contoso.com" });
        var lena = await ResolveAsync(host, FixtureUsers.LenaIdn);
        var decoy = await ResolveAsync(host, FixtureUsers.LenaDecoy);
        var policy = host.Get<IProtectedAccountPolicy>();

        Assert.True((await policy.CheckAsync(lena, CancellationToken.None)).IsProtected);
        Assert.False((await policy.CheckAsync(decoy, CancellationToken.None)).IsProtected);
    }

    [Fact]
    public async Task A_member_of_a_protected_group_is_protected_through_checkMemberGroups_and_the_answer_is_cached()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var ruth = await ResolveAsync(host, "ruth.ellison@contoso.com");
        var alice = await ResolveAsync(host, "alice@contoso.com");
        var policy = host.Get<IProtectedAccountPolicy>();

        var ruthStatus = await policy.CheckAsync(ruth, CancellationToken.None);
        var aliceStatus = await policy.CheckAsync(alice, CancellationToken.None);
        await policy.CheckAsync(ruth, CancellationToken.None);
        await policy.CheckAsync(alice, CancellationToken.None);

        Assert.True(ruthStatus.IsProtected);
        Assert.Contains(CeoGroup, ruthStatus.Because, StringComparison.Ordinal);
        Assert.False(aliceStatus.IsProtected);
        Assert.False(aliceStatus.IsUnknown);
        Assert.Equal(2, MembershipChecks(host.Sandbox));
        Assert.Contains(host.Sandbox.Requests, r => r.Path.EndsWith($"/users/{FixtureUsers.Ruth}/checkMemberGroups", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cached_answer_expires()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup }, clock);
        var alice = await ResolveAsync(host, "alice@contoso.com");
        var policy = host.Get<IProtectedAccountPolicy>();

        await policy.CheckAsync(alice, CancellationToken.None);
        clock.Advance(ProtectedAccountPolicy.CacheDuration - TimeSpan.FromSeconds(1));
        await policy.CheckAsync(alice, CancellationToken.None);
        Assert.Equal(1, MembershipChecks(host.Sandbox));

        clock.Advance(TimeSpan.FromSeconds(2));
        await policy.CheckAsync(alice, CancellationToken.None);
        Assert.Equal(2, MembershipChecks(host.Sandbox));
    }

    [Fact]
    public async Task More_than_twenty_protected_groups_are_checked_in_chunks_Graph_accepts()
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < 24; i++)
            settings[$"Guards:ProtectedGroups:{i}"] = Guid.NewGuid().ToString("D");
        settings["Guards:ProtectedGroups:24"] = CeoGroup;
        await using var host = await GuardHost.StartAsync(settings);
        var ruth = await ResolveAsync(host, "ruth.ellison@contoso.com");

        var status = await host.Get<IProtectedAccountPolicy>().CheckAsync(ruth, CancellationToken.None);

        Assert.True(status.IsProtected);
        Assert.Equal(2, MembershipChecks(host.Sandbox));
        Assert.All(host.Sandbox.Requests.Where(r => r.Path.EndsWith("/checkMemberGroups", StringComparison.Ordinal)), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task A_Graph_outage_during_the_check_is_unknown_and_transient_never_unprotected_and_not_cached()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var ruth = await ResolveAsync(host, "ruth.ellison@contoso.com");
        var policy = host.Get<IProtectedAccountPolicy>();
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "checkMemberGroups", StatusCode = 503 });

        var during = await policy.CheckAsync(ruth, CancellationToken.None);
        host.Sandbox.ClearFaults();
        var after = await policy.CheckAsync(ruth, CancellationToken.None);

        Assert.True(during.IsUnknown);
        Assert.False(during.IsProtected);
        Assert.True(during.Failure!.IsTransient);
        Assert.True(after.IsProtected);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 701 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_missing_GroupMember_Read_All_permission_is_unknown_and_not_transient()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var alice = await ResolveAsync(host, "alice@contoso.com");
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "checkMemberGroups", StatusCode = 403 });

        var status = await host.Get<IProtectedAccountPolicy>().CheckAsync(alice, CancellationToken.None);

        Assert.True(status.IsUnknown);
        Assert.Equal(GraphFailureKind.Forbidden, status.Failure!.Kind);
        Assert.False(status.Failure.IsTransient);
    }

    [Fact]
    public async Task Logged_user_names_are_hashed_by_default()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var alice = await ResolveAsync(host, "alice@contoso.com");
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "checkMemberGroups", StatusCode = 503 });

        await host.Get<IProtectedAccountPolicy>().CheckAsync(alice, CancellationToken.None);

        var entry = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 701);
        Assert.DoesNotContain("alice@contoso.com", entry.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(UserNameLogFormatter.Hash("alice@contoso.com"), entry.Message, StringComparison.Ordinal);
        Assert.Equal(UserNameLogFormatter.Hash("ALICE@contoso.com"), UserNameLogFormatter.Hash("alice@contoso.com"));
    }

    [Fact]
    public async Task Logged_user_names_are_clear_when_configured()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?>
        {
            ["Guards:ProtectedGroups:0"] = CeoGroup,
            ["Guards:LogUserPrincipalNames"] = "Clear",
        });
        var alice = await ResolveAsync(host, "alice@contoso.com");
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "checkMemberGroups", StatusCode = 503 });

        await host.Get<IProtectedAccountPolicy>().CheckAsync(alice, CancellationToken.None);

        Assert.Contains("alice@contoso.com", Assert.Single(host.Logs.Entries, e => e.EventId.Id == 701).Message, StringComparison.Ordinal);
    }
}
