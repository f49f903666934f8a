using System.Text;
using Microsoft.Extensions.Logging;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Fixtures;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Guards;

/// <summary>Protected accounts and the storm guard through the real pipeline: Graph sandbox, ledger and storm guard on Azurite.</summary>
public sealed class GuardPipelineTests
{
    private const string CeoGroup = ProtectedAccountPolicyTests.CeoGroup;

    private static string SpreadUser(int n) => $"0b5e7a10-4c1d-4e2f-9a00-{n:D12}";

    private static ReadOnlyMemory<byte> Native(params string[] users) => Encoding.UTF8.GetBytes(users.Length == 1
        ? $$"""{"user":"{{users[0]}}","reason":"test"}"""
        : $$"""{"requests":[{{string.Join(",", users.Select(u => $$"""{"user":"{{u}}"}"""))}}]}""");

    [Fact]
    public async Task With_a_storm_guard_below_60_the_first_N_accounts_in_payload_order_are_revoked_and_the_rest_refused()
    {
        var expected = FixtureCases.Get("edge/sentinel-incident-60-accounts.json");
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "25" });

        var result = await host.Pipeline.ProcessAsync(expected.ReadBody(), GuardHost.Context(RequestChannel.Queue), CancellationToken.None);

        Assert.Equal(60, result.Targets.Count);
        var revoked = result.Targets.Take(25).ToList();
        var refused = result.Targets.Skip(25).ToList();
        Assert.Equal(Enumerable.Range(1, 25).Select(SpreadUser), revoked.Select(t => t.UserId));
        Assert.All(revoked, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.All(refused, t => Assert.Equal((Outcome.Refused, ReasonCode.StormGuard), (t.Outcome, t.Reason)));
        Assert.All(refused, t => Assert.Contains("Guards:StormGuard:MaxUsers", t.Detail, StringComparison.Ordinal));
        Assert.Equal(25, host.Sandbox.TotalRevocations);
        Assert.All(Enumerable.Range(26, 35), n => Assert.Equal(0, host.Sandbox.RevocationCount(SpreadUser(n))));
        var trip = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 710);
        Assert.Equal(LogLevel.Error, trip.Level);
    }

    [Fact]
    public async Task Several_instances_racing_on_one_storm_guard_table_revoke_exactly_the_limit()
    {
        // Four "instances": each its own services, ledger table and Table client, sharing the sandbox tenant and the count.
        await using var sandbox = await GraphSandboxServer.StartAsync(SandboxTenant.Load(TestPaths.TenantFile));
        var shared = new Dictionary<string, string?>
        {
            ["Guards:StormGuard:MaxUsers"] = "5",
            ["Guards:StormGuard:TableName"] = GuardHost.NewTableName(),
        };
        var hosts = new List<GuardHost>();
        try
        {
            for (var i = 0; i < 4; i++)
                hosts.Add(await GuardHost.StartAsync(shared, sharedSandbox: sandbox));

            // 4 × 3 distinct users = 12, plus user 1 named by every instance: 13 distinct, limit 5.
            var runs = hosts.Select((host, i) => Task.Run(() => host.Pipeline.ProcessAsync(
                Native(SpreadUser(1), SpreadUser(10 + (3 * i)), SpreadUser(11 + (3 * i)), SpreadUser(12 + (3 * i))),
                GuardHost.Context(RequestChannel.Queue), CancellationToken.None))).ToList();
            var results = await Task.WhenAll(runs);

            // Distinct users is what the guard limits: user 1 may be revoked by several instances at once (Graph's
            // call is idempotent), but only five different people are ever signed out.
            var targets = results.SelectMany(r => r.Targets).ToList();
            var revokedInGraph = Enumerable.Range(1, 30).Select(SpreadUser).Where(u => sandbox.RevocationCount(u) > 0).ToList();
            Assert.Equal(5, revokedInGraph.Count);
            Assert.Equal(revokedInGraph.ToHashSet(), targets.Where(t => t.Outcome == Outcome.Revoked).Select(t => t.UserId!).ToHashSet());
            Assert.True(sandbox.RevocationCount(SpreadUser(1)) > 0, "the user every instance named is admitted by all of them");
            Assert.All(targets, t => Assert.True(t.Outcome is Outcome.Revoked or Outcome.AlreadyRevoked or Outcome.Refused, $"{t.UserId} {t.Outcome} {t.Reason} {t.Detail}"));
            Assert.Equal(13 - 5, targets.Where(t => t.Reason == ReasonCode.StormGuard).Select(t => t.UserId).Distinct().Count());
        }
        finally
        {
            foreach (var host in hosts)
                await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_dry_run_meets_the_guards_but_counts_nobody()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });
        var body = Native(SpreadUser(1), SpreadUser(2), SpreadUser(3));

        var dry = await host.Pipeline.ProcessAsync(body, GuardHost.Context(RequestChannel.Queue) with { DryRun = true }, CancellationToken.None);
        var real = await host.Pipeline.ProcessAsync(Native(SpreadUser(3)), GuardHost.Context(RequestChannel.Queue), CancellationToken.None);

        Assert.Equal([Outcome.WouldRevoke, Outcome.Refused, Outcome.Refused], dry.Targets.Select(t => t.Outcome));
        Assert.Equal(Outcome.Revoked, Assert.Single(real.Targets).Outcome);
        Assert.Equal(1, host.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task People_at_the_CLI_are_not_storm_guarded()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });

        var result = await host.Pipeline.ProcessAsync(Native(SpreadUser(1), SpreadUser(2), SpreadUser(3)), GuardHost.Context(RequestChannel.Cli), CancellationToken.None);

        Assert.All(result.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.Equal(3, host.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task HR_leavers_have_their_own_limit_beside_the_alerts_limit()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?>
        {
            ["Guards:StormGuard:MaxUsers"] = "1",
            ["Guards:StormGuard:LeaverMaxUsers"] = "1",
        });
        async Task<TargetResult> RunAsync(string fixture) => Assert.Single((await host.Pipeline.ProcessAsync(
            await File.ReadAllBytesAsync(TestPaths.Fixture(fixture)), GuardHost.Context(RequestChannel.Queue), CancellationToken.None)).Targets);

        var firstLeaver = await RunAsync("valid/hr-leaver.json");
        var secondLeaver = await RunAsync("valid/hr-leaver-employeeid-only.json");
        var alert = await RunAsync("valid/sentinel-alert.json");

        Assert.Equal(Outcome.Revoked, firstLeaver.Outcome);
        Assert.Equal((Outcome.Refused, ReasonCode.StormGuard), (secondLeaver.Outcome, secondLeaver.Reason));
        Assert.Contains("LeaverMaxUsers", secondLeaver.Detail, StringComparison.Ordinal);
        Assert.Equal(Outcome.Revoked, alert.Outcome);
    }

    [Theory]
    [InlineData(RequestChannel.Queue)]
    [InlineData(RequestChannel.Cli)]
    public async Task A_protected_group_member_is_refused_to_automation_and_the_CLI_audited_and_logged(RequestChannel channel)
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var context = GuardHost.Context(channel) with { Requester = "queue:sentinel" };

        var result = await host.Pipeline.ProcessAsync(Native("ruth.ellison@contoso.com", "alice@contoso.com"), context, CancellationToken.None);

        var ruth = Assert.Single(result.Targets, t => t.UserId == FixtureUsers.Ruth);
        Assert.Equal((Outcome.Refused, ReasonCode.ProtectedAccount), (ruth.Outcome, ruth.Reason));
        Assert.Contains(CeoGroup, ruth.Detail, StringComparison.Ordinal);
        Assert.False(ruth.IsTransient);
        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets, t => t.UserId == FixtureUsers.Alice).Outcome);
        Assert.Equal(0, host.Sandbox.RevocationCount(FixtureUsers.Ruth));
        var row = Assert.Single(await host.Get<RevokeFunctions.Ledger.IRevocationLedger>().ListAsync(context.RequestId, CancellationToken.None),
            e => e.UserId == FixtureUsers.Ruth);
        Assert.Equal(RevokeFunctions.Ledger.LedgerState.Refused, row.State);
        Assert.Equal(ReasonCode.ProtectedAccount, row.Reason);
        var warning = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 720);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain("ruth.ellison@contoso.com", warning.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_protected_account_refused_does_not_use_up_the_storm_guard()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?>
        {
            ["Guards:ProtectedAccounts:0"] = "ruth.ellison@contoso.com",
            ["Guards:StormGuard:MaxUsers"] = "1",
        });

        var result = await host.Pipeline.ProcessAsync(Native("ruth.ellison@contoso.com", "alice@contoso.com"), GuardHost.Context(RequestChannel.Queue), CancellationToken.None);

        Assert.Equal([ReasonCode.ProtectedAccount, null], result.Targets.Select(t => t.Reason));
        Assert.Equal(1, host.Sandbox.RevocationCount(FixtureUsers.Alice));
    }

    [Fact]
    public async Task A_failed_membership_check_revokes_nobody_and_is_retried()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "checkMemberGroups", StatusCode = 503 });

        var target = Assert.Single((await host.Pipeline.ProcessAsync(Native("ruth.ellison@contoso.com"), GuardHost.Context(RequestChannel.Queue), CancellationToken.None)).Targets);

        Assert.Equal((Outcome.Failed, ReasonCode.GraphUnavailable), (target.Outcome, target.Reason));
        Assert.True(target.IsTransient);
        Assert.Equal(0, host.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_missing_GroupMember_permission_fails_naming_it()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "checkMemberGroups", StatusCode = 403 });

        var target = Assert.Single((await host.Pipeline.ProcessAsync(Native("alice@contoso.com"), GuardHost.Context(RequestChannel.Queue), CancellationToken.None)).Targets);

        Assert.Equal((Outcome.Failed, ReasonCode.GraphForbidden), (target.Outcome, target.Reason));
        Assert.Contains("GroupMember.Read.All", target.Detail, StringComparison.Ordinal);
        Assert.Equal(0, host.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Unreachable_storage_stops_automated_revocations_as_transient_failures()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?>
        {
            // Azurite's development account on a port where nothing listens: the ledger and the storm guard both fail.
            ["Ledger:connectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            ["Ledger:Retry:MaxRetries"] = "0",
        });

        var target = Assert.Single((await host.Pipeline.ProcessAsync(Native("alice@contoso.com"), GuardHost.Context(RequestChannel.Queue), CancellationToken.None)).Targets);

        Assert.Equal((Outcome.Failed, ReasonCode.GuardUnavailable), (target.Outcome, target.Reason));
        Assert.True(target.IsTransient);
        Assert.Equal(0, host.Sandbox.TotalRevocations);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 712);
    }
}
