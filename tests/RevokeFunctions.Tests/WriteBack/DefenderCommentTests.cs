using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>The Defender XDR alert comment, through the real Graph SDK against the sandbox's alerts_v2 comments endpoint.</summary>
public sealed class DefenderCommentTests
{
    private const string PriyaId = "148979f6-a3e8-4239-9f94-b651523fab42";

    [Fact]
    public async Task One_comment_on_the_alert_names_the_target_and_its_outcome_and_says_what_revocation_does()
    {
        await using var host = await WriteBackHost.StartAsync();

        var report = await DispatchAsync(host, await OverHttpAsync(host, DefenderAlert(), Automated()));

        var comment = Assert.Single(host.Sandbox.AlertComments);
        Assert.Equal(AlertId, comment.AlertId);
        Assert.Contains($"- priya.raman@contoso.com: revoked.", comment.Comment, StringComparison.Ordinal);
        Assert.Contains("defender-xdr-alert #8312", comment.Comment, StringComparison.Ordinal);
        Assert.Contains(RevocationNotice.Text, comment.Comment, StringComparison.Ordinal);
        Assert.Single(host.Sandbox.Requests, r => r is { Method: "POST", Path: $"/v1.0/security/alerts_v2/{AlertId}/comments", StatusCode: 200 });
        Assert.Equal(ChannelStatus.Done, report.For(WriteBackChannel.DefenderComment)?.Status);
        Assert.Empty(host.Arm.Requests);
    }

    [Fact]
    public async Task A_retried_request_posts_no_second_comment()
    {
        await using var host = await WriteBackHost.StartAsync();

        await DispatchAsync(host, await OverHttpAsync(host, DefenderAlert(), Automated()));
        var report = await DispatchAsync(host, await OverHttpAsync(host, DefenderAlert(), Automated()));

        Assert.Single(host.Sandbox.AlertComments);
        Assert.Same(WriteBackReport.Nothing, report);
    }

    [Fact]
    public async Task With_Graph_failing_the_comment_the_revocation_stands_and_the_failure_is_recorded()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "/comments", StatusCode = 503, Times = 100 });

        var outcome = await OverHttpAsync(host, DefenderAlert(), Automated());
        var report = await DispatchAsync(host, outcome);

        Assert.Equal(Outcome.Revoked, Assert.Single(outcome.Result.Targets).Outcome);
        Assert.Equal(1, host.Sandbox.RevocationCount(PriyaId));
        Assert.Empty(host.Sandbox.AlertComments);
        var defender = report.For(WriteBackChannel.DefenderComment)!;
        Assert.Equal((ChannelStatus.Failed, 1), (defender.Status, defender.Attempts));
        var row = await host.RequestRowAsync();
        Assert.Equal("Failed", row.GetString("DefenderCommentStatus"));
        Assert.StartsWith("Microsoft Graph answered 503", row.GetString("DefenderCommentProblem"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_a_target_is_pending_the_comment_waits_then_it_is_posted_once_with_the_final_outcome()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503, Times = 100 });
        var context = Automated();

        var first = await DispatchAsync(host, await OverHttpAsync(host, DefenderAlert(), context));

        Assert.Equal(ChannelStatus.Waiting, first.For(WriteBackChannel.DefenderComment)?.Status);
        Assert.Empty(host.Sandbox.AlertComments);

        host.Sandbox.ClearFaults();
        var done = await DispatchAsync(host, await OverQueueAsync(host, DefenderAlert(), Queued(context.RequestId), attempt: 2));

        Assert.Equal(ChannelStatus.Done, done.For(WriteBackChannel.DefenderComment)?.Status);
        var comment = Assert.Single(host.Sandbox.AlertComments);
        Assert.Contains("- priya.raman@contoso.com: revoked.", comment.Comment, StringComparison.Ordinal);
        Assert.Contains($"request {context.RequestId}", comment.Comment, StringComparison.Ordinal);
    }
}
