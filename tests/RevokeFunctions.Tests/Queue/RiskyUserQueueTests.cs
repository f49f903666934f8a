using System.Text.Json.Nodes;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Queue;

/// <summary>A risky-users page on the queue: the users at risk are revoked, a remediated one is dead-lettered RiskNotActive.</summary>
public sealed class RiskyUserQueueTests
{
    private const string Kenji = "83ec76c8-bea5-4033-a192-044fb3907bca";
    private const string Sofia = "60921093-4357-41d1-b73a-4b2488b19bee";

    [Fact]
    public async Task A_remediated_risky_user_is_dead_lettered_RiskNotActive_while_the_one_at_risk_is_revoked()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var page = SampleFiles.Object("risky-users.json");
        page["value"]![1]!["riskState"] = "remediated";

        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(page.ToJsonString(), messageId: "risky-users-0930"));

        var deadLetter = port.Only;
        Assert.Equal(Kind.DeadLetter, deadLetter.Kind);
        Assert.Equal(nameof(ReasonCode.RiskNotActive), deadLetter.Reason);
        Assert.Equal(ReasonCode.RiskNotActive, settlement.Reason);
        Assert.Contains("remediated", deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(Sofia, deadLetter.Properties[QueueProperties.UserIds]);
        Assert.Equal(1, env.Sandbox.RevocationCount(Kenji));
        Assert.Equal(0, env.Sandbox.RevocationCount(Sofia));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sender.Sent);
    }

    [Fact]
    public async Task A_page_of_users_at_risk_is_revoked_and_completed()
    {
        await using var env = await QueueTestEnvironment.StartAsync();

        var (_, port) = await env.HandleAsync(QueueMessages.Received(SampleFiles.Load("risky-users.json").ToJsonString()));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(2, env.Sandbox.TotalRevocations);
    }
}
