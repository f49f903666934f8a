using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>
/// The three idempotency layers through the real pipeline, the Graph SDK against the sandbox and the ledger on Azurite.
/// </summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task The_same_MessageId_twice_revokes_once_and_the_repeat_calls_Graph_for_nothing()
    {
        await using var env = await TestEnvironment.StartAsync();
        var key = NewKey();

        var first = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        env.Sandbox.ResetRecording();
        var repeat = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);

        Assert.Equal(Outcome.Revoked, first.Outcome);
        Assert.False(first.Replayed);
        Assert.Equal(Outcome.Revoked, repeat.Outcome);
        Assert.True(repeat.Replayed);
        Assert.Equal(FixtureUsers.Alice, repeat.UserId);
        Assert.Contains("nothing was done again", repeat.Detail, StringComparison.Ordinal);
        Assert.Empty(env.Sandbox.Requests);

        var row = Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None));
        Assert.Equal(LedgerState.Revoked, row.State);
        Assert.Equal(1, row.Attempts);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_over_HTTP_twice_answers_200_both_times_and_revokes_once()
    {
        await using var env = await TestEnvironment.StartAsync();
        var key = NewKey();

        var first = await GetOrPostAsync(env, key);
        var repeat = await GetOrPostAsync(env, key);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, repeat.Status);
        Assert.Equal("Revoked", repeat.Body.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        // Each POST has its own request ID; the repeat's status shows the row the first one recorded.
        var repeatId = repeat.Body.GetProperty("requestId").GetString()!;
        Assert.NotEqual(first.Body.GetProperty("requestId").GetString(), repeatId);
        var row = Assert.Single(await env.Ledger.ListAsync(repeatId, CancellationToken.None));
        Assert.Equal(first.Body.GetProperty("requestId").GetString(), row.RequestId);
        Assert.Equal(key, row.IdempotencyKey);
    }

    [Fact]
    public async Task Two_duplicates_processed_at_once_by_two_instances_revoke_once_and_both_answer_Revoked()
    {
        await using var env = await TestEnvironment.StartAsync();
        // A slow Graph keeps the winner's claim open while the other instance arrives.
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", Delay = TimeSpan.FromMilliseconds(400) });
        var secondInstance = PipelineWith(env, ActivatorUtilities.CreateInstance<TableRevocationLedger>(env.Services));
        var key = NewKey();

        var results = await Task.WhenAll(
            env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None),
            secondInstance.ProcessAsync(Native(), Queued(key), CancellationToken.None));

        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Equal(1, Posts(env));
        Assert.All(results, r => Assert.Equal(Outcome.Revoked, Assert.Single(r.Targets).Outcome));
        Assert.Single(results, r => r.Targets[0].Replayed);
        var row = Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None));
        Assert.Equal((LedgerState.Revoked, 1), (row.State, row.Attempts));
    }

    [Fact]
    public async Task A_duplicate_that_cannot_wait_for_the_claim_holder_is_a_transient_in_progress_and_its_retry_reads_the_outcome()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Ledger:DuplicateWait"] = "00:00:00" });
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", Delay = TimeSpan.FromMilliseconds(1000) });
        var key = NewKey();

        var winner = env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None);
        var duplicate = await RunWhenClaimedAsync(env, key);
        await winner;
        var retry = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);

        Assert.Equal(Outcome.Failed, duplicate.Outcome);
        Assert.Equal(ReasonCode.InProgress, duplicate.Reason);
        Assert.True(duplicate.IsTransient);
        Assert.NotNull(duplicate.RetryAfter);
        Assert.Equal(Outcome.Revoked, retry.Outcome);
        Assert.True(retry.Replayed);
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task An_event_older_than_signInSessionsValidFrom_is_AlreadyRevoked_with_no_write_and_so_recorded()
    {
        await using var env = await TestEnvironment.StartAsync();
        var eventAt = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(FixtureUsers.Alice, eventAt.AddMinutes(1));
        var context = Fresh(eventAt);

        var target = Assert.Single((await env.Pipeline.ProcessAsync(Native(), context, CancellationToken.None)).Targets);

        Assert.Equal(Outcome.AlreadyRevoked, target.Outcome);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Equal(0, Posts(env));
        var row = Assert.Single(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None));
        Assert.Equal((LedgerState.AlreadyRevoked, 0), (row.State, row.Attempts));
    }

    [Fact]
    public async Task An_event_newer_than_signInSessionsValidFrom_is_revoked()
    {
        await using var env = await TestEnvironment.StartAsync();
        var eventAt = DateTimeOffset.UtcNow;
        env.Sandbox.Tenant.SetSignInSessionsValidFrom(FixtureUsers.Alice, eventAt.AddMinutes(-1));

        var target = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Fresh(eventAt), CancellationToken.None)).Targets);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
    }

    [Fact]
    public async Task An_incident_that_gains_alerts_is_a_new_event_and_decided_again()
    {
        await using var env = await TestEnvironment.StartAsync();
        var incident = await File.ReadAllBytesAsync(TestPaths.Fixture("valid/sentinel-incident.json"));

        var first = await env.Pipeline.ProcessAsync(incident, Fresh(), CancellationToken.None);
        var again = await env.Pipeline.ProcessAsync(incident, Fresh(), CancellationToken.None);
        // A new alert joins the incident: Sentinel moves lastActivityTimeUtc (and lastModifiedTimeUtc), never createdTimeUtc.
        var now = Iso(DateTimeOffset.UtcNow);
        var newEvent = await env.Pipeline.ProcessAsync(Rewrite(incident, ("lastActivityTimeUtc", now), ("lastModifiedTimeUtc", now)),
            Fresh(), CancellationToken.None);

        Assert.All(first.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.All(again.Targets, t => Assert.True(t.Replayed));
        Assert.All(newEvent.Targets, t => Assert.False(t.Replayed));
        Assert.All(newEvent.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.Equal(2, env.Sandbox.RevocationCount(FixtureUsers.Bob));
        Assert.Equal(2, env.Sandbox.RevocationCount(FixtureUsers.Carmen));
    }

    [Fact]
    public async Task An_incident_whose_status_owner_or_comments_changed_is_the_same_event_and_answered_from_the_ledger()
    {
        await using var env = await TestEnvironment.StartAsync();
        var incident = await File.ReadAllBytesAsync(TestPaths.Fixture("valid/sentinel-incident.json"));

        await env.Pipeline.ProcessAsync(incident, Fresh(), CancellationToken.None);
        var changed = Rewrite(incident, ("lastModifiedTimeUtc", Iso(DateTimeOffset.UtcNow)), ("status", "Active"));
        var update = await env.Pipeline.ProcessAsync(changed, Fresh(), CancellationToken.None);

        Assert.All(update.Targets, t => Assert.True(t.Replayed));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Bob));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Carmen));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_to_the_ledger()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh() with { DryRun = true };

        var target = Assert.Single((await env.Pipeline.ProcessAsync(Native(), context, CancellationToken.None)).Targets);

        Assert.Equal(Outcome.WouldRevoke, target.Outcome);
        Assert.Empty(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None));
    }

    private static Task<HttpCall.Response> GetOrPostAsync(TestEnvironment env, string key) =>
        LedgerHttp.PostAsync(env, """{"user":"alice@contoso.com","reason":"phishing"}""", key);

    /// <summary>Runs a duplicate as soon as the first delivery's claim is in the ledger.</summary>
    private static async Task<TargetResult> RunWhenClaimedAsync(TestEnvironment env, string key)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await env.Ledger.ListAsync(key, CancellationToken.None) is [{ State: LedgerState.Revoking }])
                return Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);
            await Task.Delay(20);
        }
        throw new TimeoutException("The first delivery never claimed the target.");
    }

    private static string Iso(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The incident's JSON with these top-level incident properties set (string values).</summary>
    private static byte[] Rewrite(byte[] incident, params (string Name, string Value)[] changes)
    {
        var text = Encoding.UTF8.GetString(incident);
        foreach (var (name, value) in changes)
        {
            text = System.Text.RegularExpressions.Regex.Replace(text, $"\"{name}\"\\s*:\\s*\"[^\"]*\"", $"\"{name}\": \"{value}\"",
                System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        return Encoding.UTF8.GetBytes(text);
    }
}
