using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.App.Http;
using RevokeFunctions.App.WriteBack;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// The write-back from the HTTP function itself: recorded in the outbox once the answer is decided, never changing the
/// answer, and delivered by the delivery function afterwards.
/// </summary>
public sealed class HttpWriteBackTests
{
    [Fact]
    public async Task A_Sentinel_incident_over_HTTP_is_answered_and_commented_on_once_however_often_it_is_sent()
    {
        await using var host = await WriteBackHost.StartAsync();

        var first = await host.Env.PostAsync(SentinelIncident());
        await host.DeliverAsync();
        var again = await host.Env.PostAsync(SentinelIncident());
        await host.DeliverAsync();

        Assert.Equal((200, 200), (first.Status, again.Status));
        Assert.Equal(RevocationNotice.Text, first.Body.GetProperty("notice").GetString());
        var put = Assert.Single(host.Arm.Requests);
        Assert.Contains("<b>bob.kowalski@contoso.com</b> (dbf36fa1-d4a8-46b4-9147-3a1b11764fd9): revoked.", CommentMessage(put), StringComparison.Ordinal);
        Assert.Contains($"request <code>{first.Body.GetProperty("requestId").GetString()}</code>", CommentMessage(put), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_every_write_back_down_the_answer_is_the_same_and_the_failures_are_recorded()
    {
        await using var healthy = await WriteBackHost.StartAsync();
        await using var broken = await WriteBackHost.StartAsync();
        broken.Arm.FailAlways(503);
        broken.Webhook.FailAlways(503);
        broken.Sandbox.Inject(new GraphSandbox.SandboxFault { Method = "POST", PathContains = "/sendMail", StatusCode = 503, Times = 100 });
        broken.Sandbox.Tenant.SetManager(FixtureUsers.Bob, FixtureUsers.Grace);

        var expected = await healthy.Env.PostAsync(SentinelIncident());
        var answer = await broken.Env.PostAsync(SentinelIncident());
        await broken.DeliverAsync();

        Assert.Equal(expected.Status, answer.Status);
        Assert.Equal(
            expected.Body.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("userId").GetString(), r.GetProperty("outcome").GetString())),
            answer.Body.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("userId").GetString(), r.GetProperty("outcome").GetString())));
        Assert.Equal(1, broken.Sandbox.RevocationCount(FixtureUsers.Bob));
        var row = await broken.RequestRowAsync();
        Assert.Equal(("Failed", "Failed"), (row.GetString("SentinelCommentStatus"), row.GetString("ManagerEmailStatus")));
    }

    [Fact]
    public async Task The_answer_does_not_wait_for_a_slow_webhook_or_source_the_delivery_function_tells_them_after()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });
        // Both would hold an answer that waited for them: the old path waited up to WriteBack:HttpBudget.
        host.Arm.Delay = TimeSpan.FromSeconds(2);
        host.Webhook.Delay = TimeSpan.FromSeconds(2);

        var answer = await host.Env.PostAsync(SentinelIncident());

        // Answered with nothing sent yet: the answer waited for the outbox row only.
        Assert.Equal(207, answer.Status);
        Assert.Empty(host.Arm.Requests);
        Assert.Empty(host.Webhook.Requests);
        var due = Assert.Single(await host.OutboxAsync());
        Assert.Equal(answer.Body.GetProperty("requestId").GetString(), due.GetString("RequestId"));

        var reports = await host.DeliverAsync();

        var report = Assert.Single(reports);
        Assert.Equal((ChannelStatus.Done, ChannelStatus.Done),
            (report.For(WriteBackChannel.SentinelComment)?.Status, report.For(WriteBackChannel.Webhook)?.Status));
        Assert.Single(host.Arm.Requests);
        Assert.Contains("\"event\":\"storm-guard-refused\"", Assert.Single(host.Webhook.Requests).Body, StringComparison.Ordinal);
        Assert.Empty(await host.OutboxAsync());
    }

    [Fact]
    public async Task The_delivery_timer_function_sends_what_the_answer_recorded()
    {
        await using var host = await WriteBackHost.StartAsync();
        await host.Env.PostAsync(SentinelIncident());
        Assert.Empty(host.Arm.Requests);

        var function = ActivatorUtilities.CreateInstance<DeliverWriteBacksFunction>(host.Services);
        await function.RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Single(host.Arm.Requests);
        Assert.Empty(await host.OutboxAsync());
    }

    [Fact]
    public async Task A_storm_guard_refusal_over_HTTP_is_answered_as_before_commented_on_and_posted_to_the_webhook()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });

        var answer = await host.Env.PostAsync(SentinelIncident());
        await host.DeliverAsync();

        Assert.Equal(207, answer.Status);
        var post = Assert.Single(host.Webhook.Requests);
        Assert.Contains("\"event\":\"storm-guard-refused\"", post.Body, StringComparison.Ordinal);
        Assert.Contains("refused (StormGuard)", CommentMessage(Assert.Single(host.Arm.Requests)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_back()
    {
        await using var host = await WriteBackHost.StartAsync();

        var answer = await HttpCall.PostAsAsync(host.Services, HttpCall.Principal(), SentinelIncident(), "application/json", "?dryRun=true");
        await host.DeliverAsync();

        Assert.Equal(200, answer.Status);
        Assert.Empty(host.Arm.Requests);
        Assert.Empty(host.Webhook.Requests);
        Assert.Empty(await host.RecordAsync());
    }

    [Fact]
    public async Task A_protected_account_revoked_by_a_privileged_person_is_posted_to_the_webhook()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedAccounts:0"] = FixtureUsers.Alice });

        var answer = await HttpCall.PostAsAsync(host.Services,
            HttpCall.Principal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole),
            Native("alice@contoso.com"), "application/json", "");
        await host.DeliverAsync();

        Assert.Equal(200, answer.Status);
        using var posted = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        Assert.Equal("protected-account-revoked", posted.RootElement.GetProperty("event").GetString());
        Assert.Equal(FixtureUsers.Alice, posted.RootElement.GetProperty("userIds").GetString());
    }
}
