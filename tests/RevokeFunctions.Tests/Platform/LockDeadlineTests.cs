using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Queue;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Platform;

/// <summary>
/// Issue 15, part 2: a message never outlives its lock. The handler's clock is a <see cref="FakeTimeProvider"/>, so the
/// deadline and the back-off are reached by moving it, not by waiting.
/// </summary>
public sealed class LockDeadlineTests
{
    private const string AliceRequest = """{"user":"alice@contoso.com","reason":"phishing"}""";

    [Fact]
    public void The_default_deadline_leaves_room_inside_host_jsons_lock_renewal_for_sends_and_settlement()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "host.json")));
        var renewal = TimeSpan.Parse(host.RootElement.GetProperty("extensions").GetProperty("serviceBus")
            .GetProperty("maxAutoLockRenewalDuration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var queue = new QueueOptions();
        // Minutes for sending the copies, recording the write-back in its outbox and settling.
        Assert.True(queue.ProcessingDeadline + TimeSpan.FromMinutes(2) <= renewal,
            $"Queue:ProcessingDeadline {queue.ProcessingDeadline} leaves too little of maxAutoLockRenewalDuration {renewal}.");
        Assert.True(queue.SendFailureBackoffMax < queue.ProcessingDeadline);
    }

    [Fact]
    public async Task Targets_not_finished_by_the_deadline_go_on_in_a_continuation_copy_and_the_message_is_completed_in_time()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await QueueTestEnvironment.StartAsync(time: time);
        // Graph takes far longer than the deadline to answer the revocation.
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", Delay = TimeSpan.FromMinutes(5) });
        var deadline = env.Services.GetRequiredService<IOptions<QueueOptions>>().Value.ProcessingDeadline;
        var message = QueueMessages.Received(AliceRequest, messageId: "incident-77");

        var handling = env.HandleAsync(message);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the pipeline is at work (resolving, then waiting on Graph)
        Assert.False(handling.IsCompleted);
        time.Advance(deadline);
        var (settlement, port) = await handling.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(Kind.Complete, port.Only.Kind);
        var copy = Assert.Single(env.Sender.Sent);
        Assert.StartsWith("incident-77/", copy.Message.MessageId, StringComparison.Ordinal);
        Assert.EndsWith("/continue-1.1", copy.Message.MessageId, StringComparison.Ordinal);
        Assert.Equal("continue", copy.Message.Subject);
        Assert.Null(copy.ScheduledFor);
        Assert.Equal(1, copy.Message.ApplicationProperties[QueueProperties.Continuation]);
        Assert.Equal(1, copy.Message.ApplicationProperties[QueueProperties.Attempt]); // not a failed attempt
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public void An_attempt_carried_on_too_often_becomes_a_transient_failure_with_backoff()
    {
        var options = Options.Create(new QueueOptions());
        var planner = new FollowUpPlanner(new RetryBackoff(options, TimeProvider.System));
        var envelope = new RevocationEnvelope("req-1", "msg-1", DateTimeOffset.UtcNow, Attempt: 2, PendingTargets: []) { Continuation = 5 };

        var plan = planner.PlanContinuation(new QueueWork(BinaryData.FromString(AliceRequest), envelope), TimeSpan.FromMinutes(7), maxContinuations: 5);

        var copy = Assert.Single(plan.FollowUps);
        Assert.StartsWith("msg-1/", copy.MessageId, StringComparison.Ordinal);
        Assert.EndsWith("/retry-3", copy.MessageId, StringComparison.Ordinal);
        Assert.Equal(0, copy.Envelope.Continuation);
        Assert.NotNull(copy.ScheduledFor);
    }

    [Fact]
    public async Task When_the_follow_up_cannot_be_sent_the_message_is_held_for_a_growing_back_off_before_it_is_abandoned()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Queue:SendFailureBackoff"] = "00:00:10",
            ["Queue:SendFailureBackoffMax"] = "00:02:00",
        }, time: time);
        env.Sender.FailSends();
        // A leaver not yet due: the copy scheduled for the effective date is what cannot be sent (no Graph failure, whose
        // pause would wait on the fake clock).
        var due = time.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var leaver = $$"""{"schemaVersion":"1.0","messageType":"leaver","sourceSystem":"Workday","ticket":"HR-15","userPrincipalName":"alice@contoso.com","effectiveDate":"{{due}}"}""";

        // The third delivery of the message: 10 s doubled twice.
        var handling = env.HandleAsync(QueueMessages.Received(leaver, deliveryCount: 3));
        await WaitUntilAsync(() => env.Sender.Refused > 0);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        time.Advance(TimeSpan.FromSeconds(39));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        Assert.False(handling.IsCompleted, "abandoned before its back-off");
        time.Advance(TimeSpan.FromSeconds(1));
        var (settlement, port) = await handling.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(QueueSettlementKind.Abandoned, settlement.Kind);
        Assert.Equal(Kind.Abandon, port.Only.Kind);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
            await Task.Delay(100);
        Assert.True(condition(), "timed out waiting");
    }
}
