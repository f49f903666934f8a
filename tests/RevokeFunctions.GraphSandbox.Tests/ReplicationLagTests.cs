using System.Globalization;
using System.Net;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

/// <summary>
/// The sandbox told to lag <c>signInSessionsValidFromDateTime</c> the way Graph's replication does, or never to move it
/// (Graph's known issue: <c>"value": true</c> whatever happened), so the app's read-back verification can be proven.
/// </summary>
public sealed class ReplicationLagTests
{
    private const string Select = "?$select=id,signInSessionsValidFromDateTime";

    private static async Task<DateTimeOffset> ReadValidFromAsync(SandboxSession sandbox, string key)
    {
        using var response = await sandbox.GetAsync($"users/{key}{Select}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = (await SandboxSession.ReadJsonAsync(response)).GetProperty("signInSessionsValidFromDateTime").GetString()!;
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Stale_reads_show_the_old_timestamp_then_the_new_one()
    {
        await using var sandbox = await SandboxSession.StartAsync(new GraphSandboxOptions { SessionsValidFromStaleReads = 2 });
        var before = await ReadValidFromAsync(sandbox, FixtureUsers.AliceId);
        var revokedFrom = DateTimeOffset.UtcNow.AddSeconds(-1);

        using (var revoke = await sandbox.RevokeAsync(FixtureUsers.AliceId))
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        Assert.Equal(before, await ReadValidFromAsync(sandbox, FixtureUsers.AliceId));
        Assert.Equal(before, await ReadValidFromAsync(sandbox, FixtureUsers.AliceId));
        Assert.True(await ReadValidFromAsync(sandbox, FixtureUsers.AliceId) >= revokedFrom);
        Assert.Equal(1, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
    }

    [Fact]
    public async Task A_lag_in_time_hides_the_new_timestamp_until_it_has_passed()
    {
        await using var sandbox = await SandboxSession.StartAsync(new GraphSandboxOptions { SessionsValidFromLag = TimeSpan.FromDays(1) });
        var before = await ReadValidFromAsync(sandbox, FixtureUsers.AliceId);

        (await sandbox.RevokeAsync(FixtureUsers.AliceId)).Dispose();
        Assert.Equal(before, await ReadValidFromAsync(sandbox, FixtureUsers.AliceId));

        // Options are read afresh: with the lag gone, the next read shows the revocation.
        sandbox.Server.Options.SessionsValidFromLag = TimeSpan.Zero;
        Assert.True(await ReadValidFromAsync(sandbox, FixtureUsers.AliceId) > before);
    }

    [Fact]
    public async Task A_frozen_timestamp_never_moves_though_the_revocation_answers_true()
    {
        await using var sandbox = await SandboxSession.StartAsync(new GraphSandboxOptions { SessionsValidFromFrozen = true });
        var before = await ReadValidFromAsync(sandbox, FixtureUsers.AliceId);

        using var revoke = await sandbox.RevokeAsync(FixtureUsers.AliceId);

        Assert.True((await SandboxSession.ReadJsonAsync(revoke)).GetProperty("value").GetBoolean());
        for (var read = 0; read < 3; read++)
            Assert.Equal(before, await ReadValidFromAsync(sandbox, FixtureUsers.AliceId));
        Assert.Equal(1, sandbox.Server.RevocationCount(FixtureUsers.AliceId));
    }

    [Fact]
    public async Task A_list_read_counts_as_a_read_of_each_user_it_returns()
    {
        await using var sandbox = await SandboxSession.StartAsync(new GraphSandboxOptions { SessionsValidFromStaleReads = 1 });
        var before = await ReadValidFromAsync(sandbox, FixtureUsers.AliceId);
        (await sandbox.RevokeAsync(FixtureUsers.AliceId)).Dispose();

        using (var list = await sandbox.GetAsync("users?$filter=userPrincipalName eq 'alice@contoso.com'&$select=id,signInSessionsValidFromDateTime"))
        {
            var user = (await SandboxSession.ReadJsonAsync(list)).GetProperty("value")[0];
            Assert.Equal(before, DateTimeOffset.Parse(user.GetProperty("signInSessionsValidFromDateTime").GetString()!, CultureInfo.InvariantCulture));
        }

        Assert.True(await ReadValidFromAsync(sandbox, FixtureUsers.AliceId) > before);
    }
}
