using System.Text.Json;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// The write-back from the queue handler: recorded in the outbox after the settlement is decided (so dead-letter reasons
/// are in it), before the message is settled, and delivered by the delivery function; a redelivered message posts
/// nothing twice, and a failing write-back never changes the settlement.
/// </summary>
public sealed class QueueWriteBackTests
{
    [Fact]
    public async Task A_redelivered_Sentinel_incident_is_completed_again_and_commented_on_once()
    {
        await using var host = await WriteBackHost.StartAsync();
        var messageId = Guid.NewGuid().ToString("D");

        var (first, firstPort) = await host.Env.HandleAsync(QueueMessages.Received(SentinelIncident(), messageId: messageId));
        await host.DeliverAsync();
        var (again, againPort) = await host.Env.HandleAsync(QueueMessages.Received(SentinelIncident(), messageId: messageId, deliveryCount: 2));
        await host.DeliverAsync();

        Assert.Equal((QueueSettlementKind.Completed, QueueSettlementKind.Completed), (first.Kind, again.Kind));
        Assert.Equal((Kind.Complete, Kind.Complete), (firstPort.Only.Kind, againPort.Only.Kind));
        var put = Assert.Single(host.Arm.Requests);
        Assert.Contains($"request <code>{messageId}</code>", CommentMessage(put), StringComparison.Ordinal);
        Assert.Equal(1, host.Sandbox.RevocationCount(FixtureUsers.Bob));
    }

    [Fact]
    public async Task A_dead_letter_is_commented_on_and_posted_with_its_reason_and_stays_one_dead_letter_when_the_webhook_is_down()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Webhook.FailAlways(503);
        var body = SentinelIncident(incident =>
        {
            var account = incident["properties"]!["relatedEntities"]!.AsArray().First(e => (string?)e!["kind"] == "Account")!["properties"]!;
            account["aadUserId"] = null;
            account["accountName"] = "nobody";
            account["upnSuffix"] = "contoso.com";
        });

        var (settlement, port) = await host.Env.HandleAsync(QueueMessages.Received(body));
        await host.DeliverAsync();

        Assert.Equal(QueueSettlementKind.DeadLettered, settlement.Kind);
        Assert.Equal((Kind.DeadLetter, nameof(ReasonCode.UserNotFound)), (port.Only.Kind, port.Only.Reason));
        var message = CommentMessage(Assert.Single(host.Arm.Requests));
        Assert.Contains("<b>nobody@contoso.com</b>: not revoked, dead-lettered for an operator (UserNotFound).", message, StringComparison.Ordinal);
        Assert.Contains("(116a95ee-17a5-4212-b196-9855ce37f47f): revoked.", message, StringComparison.Ordinal);
        Assert.Equal(3, host.Webhook.Requests.Count);
        Assert.Contains("\"event\":\"dead-lettered\"", host.Webhook.Requests[0].Body, StringComparison.Ordinal);
        Assert.Equal("Failed", (await host.RequestRowAsync()).GetString("WebhookStatus"));
    }

    [Fact]
    public async Task A_message_refused_whole_is_posted_as_a_dead_letter()
    {
        await using var host = await WriteBackHost.StartAsync();

        var (settlement, _) = await host.Env.HandleAsync(QueueMessages.Received("""{"alert":{"who":"alice@contoso.com"}}"""));
        await host.DeliverAsync();

        Assert.Equal((QueueSettlementKind.DeadLettered, ReasonCode.UnknownSchema), (settlement.Kind, settlement.Reason));
        using var posted = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        Assert.Equal("dead-lettered", posted.RootElement.GetProperty("event").GetString());
        Assert.Equal("UnknownSchema", posted.RootElement.GetProperty("reason").GetString());
    }
}
