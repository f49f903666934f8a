using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Grpc.Core;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RevokeFunctions.Ledger;
using RevokeFunctions.Queue;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// The outbox and its delivery: the delivery function sends what a decision recorded, each channel at most once per
/// request however often it runs or the request comes again; Retry-After is honoured; a failing channel is retried by
/// later deliveries without holding the others back.
/// </summary>
public sealed class OutboxDeliveryTests
{
    [Fact]
    public async Task A_second_delivery_run_sends_nothing_and_finds_the_outbox_empty()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });
        host.Sandbox.Tenant.SetManager(FixtureUsers.Bob, FixtureUsers.Grace);

        await host.Env.PostAsync(SentinelIncident());
        var first = await host.DeliverAsync();
        var second = await host.DeliverAsync();

        Assert.Single(first);
        Assert.Empty(second);
        Assert.Empty(await host.OutboxAsync());
        Assert.Single(host.Arm.Requests);
        Assert.Single(host.Webhook.Requests);
        Assert.Single(host.Sandbox.SentMail);
    }

    [Fact]
    public async Task A_failing_channel_does_not_hold_back_the_others_and_a_later_delivery_sends_only_what_failed()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?>
        {
            ["Guards:StormGuard:MaxUsers"] = "1",
            ["WriteBack:DeliveryRetryDelay"] = "00:00:00",
        });
        host.Sandbox.Tenant.SetManager(FixtureUsers.Bob, FixtureUsers.Grace);
        host.Arm.FailAlways(503);

        await host.Env.PostAsync(SentinelIncident());
        var failed = Assert.Single(await host.DeliverAsync());

        Assert.Equal(ChannelStatus.Failed, failed.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Equal((ChannelStatus.Done, ChannelStatus.Done),
            (failed.For(WriteBackChannel.Webhook)?.Status, failed.For(WriteBackChannel.ManagerEmail)?.Status));
        var due = Assert.Single(await host.OutboxAsync());
        Assert.Equal(1, due.GetInt32("Deliveries"));
        Assert.Contains("SentinelComment: Azure Resource Manager answered 503", due.GetString("Problem"), StringComparison.Ordinal);

        host.Arm.FailAlways(0);
        var retried = Assert.Single(await host.DeliverAsync());

        Assert.Equal(ChannelStatus.Done, retried.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Equal((ChannelStatus.AlreadyDone, ChannelStatus.AlreadyDone),
            (retried.For(WriteBackChannel.Webhook)?.Status, retried.For(WriteBackChannel.ManagerEmail)?.Status));
        Assert.Single(host.Webhook.Requests);
        Assert.Single(host.Sandbox.SentMail);
        // Three tries in the first delivery (WriteBack:MaxAttempts), one in the second, all to the one comment.
        Assert.Equal(4, host.Arm.Requests.Count);
        Assert.Single(host.Arm.Requests.Select(r => r.Path).Distinct());
        Assert.Empty(await host.OutboxAsync());
    }

    [Fact]
    public async Task A_short_Retry_After_is_waited_for_within_the_call()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Arm.Fail(429, times: 1, retryAfter: TimeSpan.FromSeconds(1));

        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        Assert.Equal(ChannelStatus.Done, report.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Equal(2, host.Arm.Requests.Count);
        // WriteBack:RetryDelay is zero here: only the Retry-After kept the second try back.
        Assert.True(host.Arm.Requests[1].At - host.Arm.Requests[0].At >= TimeSpan.FromMilliseconds(900),
            $"retried after {(host.Arm.Requests[1].At - host.Arm.Requests[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_long_Retry_After_ends_the_call_and_the_outbox_waits_that_long()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["WriteBack:DeliveryRetryDelay"] = "00:00:00" });
        host.Arm.Fail(429, times: 1, retryAfter: TimeSpan.FromMinutes(2));

        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));
        var early = await host.DeliverAsync();

        Assert.Equal(ChannelStatus.Failed, report.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Single(host.Arm.Requests);
        Assert.Empty(early);
        var due = Assert.Single(await host.OutboxAsync());
        Assert.True(due.GetDateTimeOffset("DueAt") > DateTimeOffset.UtcNow + TimeSpan.FromSeconds(100), $"due at {due.GetDateTimeOffset("DueAt")}");
    }

    [Fact]
    public async Task A_message_whose_settlement_fails_and_is_redelivered_is_told_once()
    {
        await using var host = await WriteBackHost.StartAsync();
        var messageId = Guid.NewGuid().ToString("D");
        // Settlement over the host's gRPC channel failing as reported on Flex Consumption (azure-functions-dotnet-worker#3332).
        var broken = Substitute.For<IMessageSettlement>();
        broken.CompleteMessageAsync(Arg.Any<ServiceBusReceivedMessage>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new RpcException(new Status(StatusCode.Unimplemented, "settlement not implemented")));

        try
        {
            await host.Env.Handler.HandleAsync(QueueMessages.Received(SentinelIncident(), messageId: messageId), broken, CancellationToken.None);
        }
        catch (RpcException)
        {
            // Service Bus redelivers the message once its lock ends.
        }
        await host.DeliverAsync();
        var (redelivered, port) = await host.Env.HandleAsync(QueueMessages.Received(SentinelIncident(), messageId: messageId, deliveryCount: 2));
        var afterRedelivery = await host.DeliverAsync();

        await broken.Received(1).CompleteMessageAsync(Arg.Any<ServiceBusReceivedMessage>(), Arg.Any<CancellationToken>());
        Assert.Equal(QueueSettlementKind.Completed, redelivered.Kind);
        Assert.Equal(SubstituteSettlement.Kind.Complete, port.Only.Kind);
        Assert.Empty(afterRedelivery);
        Assert.Single(host.Arm.Requests);
        Assert.Equal(1, host.Sandbox.RevocationCount(FixtureUsers.Bob));
    }

    [Fact]
    public async Task An_outbox_row_whose_decision_is_not_in_the_record_yet_waits_for_it_instead_of_telling_an_older_state()
    {
        await using var host = await WriteBackHost.StartAsync();
        var key = await host.Outbox.RecordAsync(await OverHttpAsync(host, SentinelIncident(), Automated()), CancellationToken.None);
        // The row of a newer decision lands before that decision's lines (the two are written side by side).
        var table = host.Services.GetRequiredService<TableServiceClient>()
            .GetTableClient(host.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName);
        await table.UpsertEntityAsync(new TableEntity(WriteBackRecord.OutboxPartition, key!.Value) { ["DecisionId"] = "not-written-yet" });

        var reports = await host.DeliverAsync();

        Assert.Empty(reports);
        Assert.Empty(host.Arm.Requests);
        var due = Assert.Single(await host.OutboxAsync());
        Assert.True(due.GetDateTimeOffset("DueAt") > DateTimeOffset.UtcNow, $"due at {due.GetDateTimeOffset("DueAt")}");
    }
}
