using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// The Sentinel incident comment, through the real ARM client against a local stand-in for Azure Resource Manager, on
/// requests that went through the real pipeline (Graph SDK against the sandbox, ledger and record on Azurite).
/// </summary>
public sealed class SentinelCommentTests
{
    [Fact]
    public async Task One_comment_on_the_incident_names_each_target_and_its_outcome_and_says_what_revocation_does()
    {
        await using var host = await WriteBackHost.StartAsync();

        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        var put = Assert.Single(host.Arm.Requests);
        Assert.Equal("PUT", put.Method);
        Assert.StartsWith(IncidentCommentsPath, put.Path, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(put.Path[IncidentCommentsPath.Length..], out _), put.Path);
        Assert.Equal("?api-version=2025-09-01", put.Query);
        var message = CommentMessage(put);
        Assert.Contains("<b>bob.kowalski@contoso.com</b> (dbf36fa1-d4a8-46b4-9147-3a1b11764fd9): revoked.", message, StringComparison.Ordinal);
        Assert.Contains("<b>carmen.ruiz@contoso.com</b> (116a95ee-17a5-4212-b196-9855ce37f47f): revoked.", message, StringComparison.Ordinal);
        Assert.Contains("sentinel-incident #4821", message, StringComparison.Ordinal);
        Assert.Contains("Continuous Access Evaluation", message, StringComparison.Ordinal);
        Assert.Contains("up to an hour", message, StringComparison.Ordinal);
        Assert.Contains("Disable the account for an immediate stop.", message, StringComparison.Ordinal);
        Assert.Equal(ChannelStatus.Done, report.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Equal("Done", (await host.RequestRowAsync()).GetString("SentinelCommentStatus"));
        // A stand-in on this machine is not Azure Resource Manager: it never gets a token, and none is asked for.
        Assert.False(put.Headers.ContainsKey("Authorization"));
        Assert.Empty(TestCredentials.Requests(host.Credential));
    }

    [Fact]
    public async Task A_retried_request_posts_no_second_comment()
    {
        await using var host = await WriteBackHost.StartAsync();

        await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));
        // The playbook runs again for the same incident: a new request, answered from the ledger. It decides nothing
        // new, so nothing goes into the outbox and no delivery happens at all.
        var retry = await OverHttpAsync(host, SentinelIncident(), Automated());
        var report = await DispatchAsync(host, retry);

        Assert.All(retry.Result.Targets, t => Assert.True(t.Replayed));
        Assert.Single(host.Arm.Requests);
        Assert.Same(WriteBackReport.Nothing, report);
        Assert.Empty(await host.OutboxAsync());
        Assert.Equal(1, host.Sandbox.RevocationCount(FixtureUsers.Bob));
    }

    [Fact]
    public async Task With_ARM_down_the_revocation_stands_the_failure_is_recorded_and_a_retry_writes_the_same_comment()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Arm.FailAlways(503);

        var outcome = await OverHttpAsync(host, SentinelIncident(), Automated());
        var report = await DispatchAsync(host, outcome);

        Assert.All(outcome.Result.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.Equal(1, host.Sandbox.RevocationCount(FixtureUsers.Bob));
        var sentinel = report.For(WriteBackChannel.SentinelComment)!;
        // One delivery, its call tried three times by the resilience handler (WriteBack:MaxAttempts).
        Assert.Equal((ChannelStatus.Failed, 1), (sentinel.Status, sentinel.Attempts));
        Assert.Equal(3, host.Arm.Requests.Count);
        var row = await host.RequestRowAsync();
        Assert.Equal("Failed", row.GetString("SentinelCommentStatus"));
        Assert.Equal(1, row.GetInt32("SentinelCommentAttempts"));
        Assert.Contains("503", row.GetString("SentinelCommentProblem"), StringComparison.Ordinal);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 802 && e.Message.Contains("SentinelComment", StringComparison.Ordinal));

        // The outbox keeps the request due after its back-off.
        Assert.Single(await host.OutboxAsync());

        // ARM is back; the request comes again: the comment is written, under the same ID.
        host.Arm.FailAlways(0);
        var retry = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        Assert.Equal(ChannelStatus.Done, retry.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Empty(await host.OutboxAsync());
        Assert.Single(host.Arm.Requests.Select(r => r.Path).Distinct());
        Assert.Equal("Done", (await host.RequestRowAsync()).GetString("SentinelCommentStatus"));
    }

    [Fact]
    public async Task A_refusal_from_ARM_is_not_retried()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Arm.FailAlways(403);

        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        var sentinel = report.For(WriteBackChannel.SentinelComment)!;
        Assert.Equal((ChannelStatus.Failed, 1), (sentinel.Status, sentinel.Attempts));
        Assert.Equal("Azure Resource Manager answered 403 StandInFailure", sentinel.Problem);
        Assert.Single(host.Arm.Requests);
    }

    [Fact]
    public async Task A_target_left_for_a_retry_is_reported_pending_then_the_same_comment_is_updated_when_it_is_done()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = FixtureUsers.Carmen, StatusCode = 503, Times = 100 });

        var context = Automated();
        var first = await OverHttpAsync(host, SentinelIncident(), context);
        await DispatchAsync(host, first);

        Assert.Contains(first.Result.Targets, t => t.Outcome == Outcome.Failed && t.IsTransient);
        var pending = CommentMessage(Assert.Single(host.Arm.Requests));
        Assert.Contains("<b>bob.kowalski@contoso.com</b> (dbf36fa1-d4a8-46b4-9147-3a1b11764fd9): revoked.", pending, StringComparison.Ordinal);
        Assert.Contains("<b>carmen.ruiz@contoso.com</b> (116a95ee-17a5-4212-b196-9855ce37f47f): not finished yet, retried automatically.", pending, StringComparison.Ordinal);

        // The queued retry of the same request succeeds.
        host.Sandbox.ClearFaults();
        var retry = await OverQueueAsync(host, SentinelIncident(), Queued(context.RequestId), attempt: 2);
        await DispatchAsync(host, retry);

        Assert.Equal(2, host.Arm.Requests.Count);
        Assert.Single(host.Arm.Requests.Select(r => r.Path).Distinct());
        var done = CommentMessage(host.Arm.Requests[1]);
        Assert.Contains("<b>bob.kowalski@contoso.com</b> (dbf36fa1-d4a8-46b4-9147-3a1b11764fd9): revoked.", done, StringComparison.Ordinal);
        Assert.Contains("<b>carmen.ruiz@contoso.com</b> (116a95ee-17a5-4212-b196-9855ce37f47f): revoked.", done, StringComparison.Ordinal);
        Assert.DoesNotContain("not finished", done, StringComparison.Ordinal);
        // The order is the payload's, whichever attempt finished a target.
        Assert.True(done.IndexOf("bob.kowalski", StringComparison.Ordinal) < done.IndexOf("carmen.ruiz", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Everything_that_came_from_the_payload_is_HTML_encoded()
    {
        await using var host = await WriteBackHost.StartAsync();
        var body = SentinelIncident(incident =>
        {
            incident["properties"]!["incidentNumber"] = "<img src=x onerror=alert(1)>";
            var account = incident["properties"]!["relatedEntities"]!.AsArray()
                .First(e => (string?)e!["kind"] == "Account")!["properties"]!;
            account["aadUserId"] = null;
            account["accountName"] = "o'brien";
            account["upnSuffix"] = "contoso.com";
        });

        var outcome = await OverHttpAsync(host, body, Automated());
        await DispatchAsync(host, outcome);

        var message = CommentMessage(Assert.Single(host.Arm.Requests));
        Assert.DoesNotContain("<img", message, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", message, StringComparison.Ordinal);
        // An unknown user, named as the payload gave it: the apostrophe is encoded too.
        Assert.Contains(outcome.Result.Targets, t => t.Outcome == Outcome.NotFound);
        Assert.DoesNotContain("o'brien", message, StringComparison.Ordinal);
        Assert.Contains("o&#x27;brien@contoso.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incident_refused_whole_is_told_that_nobody_was_revoked_and_why()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:MaxTargets"] = "1" });

        var answer = await host.Env.PostAsync(SentinelIncident());
        await host.DeliverAsync();

        Assert.Equal(422, answer.Status);
        Assert.Equal(0, host.Sandbox.TotalRevocations);
        var message = CommentMessage(Assert.Single(host.Arm.Requests));
        Assert.Contains("The request was refused as a whole (TooManyTargets); nobody was revoked.", message, StringComparison.Ordinal);
        Assert.Contains("Guards:MaxTargets", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_unless_switched_on()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["WriteBack:SentinelComments"] = null });

        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        Assert.Empty(host.Arm.Requests);
        Assert.Equal(ChannelStatus.NotApplicable, report.For(WriteBackChannel.SentinelComment)?.Status);
    }

    [Fact]
    public async Task A_request_from_anything_but_a_Sentinel_incident_writes_no_incident_comment()
    {
        await using var host = await WriteBackHost.StartAsync();

        await DispatchAsync(host, await OverHttpAsync(host, DefenderAlert(), Automated()));
        await DispatchAsync(host, await OverHttpAsync(host, Native("alice@contoso.com"), Person()));

        Assert.Empty(host.Arm.Requests);
    }
}
