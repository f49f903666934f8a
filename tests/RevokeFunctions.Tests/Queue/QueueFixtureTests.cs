using RevokeFunctions.Queue;
using RevokeFunctions.Tests.Fixtures;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// Every shared fixture through the queue handler: an invalid payload is dead-lettered with its reason and reaches no
/// Graph; a payload whose users all end revoked is completed; a future leaver is scheduled and completed; a payload
/// with users no retry can help is dead-lettered with the first such user's reason. Graph sees what expectations.json says.
/// </summary>
public sealed class QueueFixtureTests
{
    [Theory]
    [MemberData(nameof(FixtureCases.All), MemberType = typeof(FixtureCases))]
    public async Task Through_the_queue_each_fixture_ends_in_the_expected_settlement(string file)
    {
        var expected = FixtureCases.Get(file);
        await using var env = await QueueTestEnvironment.StartAsync();

        var (_, port) = await env.HandleAsync(QueueMessages.Received(expected.ReadBody(), messageId: Path.GetFileNameWithoutExtension(file)));

        var settlement = port.Only;
        var refused = expected.Targets.Where(t => t.Outcome is not ("Revoked" or "AlreadyRevoked" or "Deferred")).ToList();
        var deferred = expected.Targets.Where(t => t.Outcome == "Deferred").ToList();
        if (expected.IsInvalid)
        {
            Assert.Equal(Kind.DeadLetter, settlement.Kind);
            Assert.Equal(expected.PayloadReason, settlement.Reason);
        }
        else if (refused.Count > 0)
        {
            Assert.Equal(Kind.DeadLetter, settlement.Kind);
            Assert.Equal(refused[0].Reason, settlement.Reason);
            Assert.Contains(refused[0].ObjectId, (string)settlement.Properties[QueueProperties.UserIds], StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(Kind.Complete, settlement.Kind);
        }
        Assert.False(settlement.Kind == Kind.DeadLetter && string.IsNullOrWhiteSpace(settlement.Description));
        Assert.Equal(deferred.Count, env.Sender.Sent.Count);
        Assert.All(env.Sender.Sent, s => Assert.NotNull(s.ScheduledFor));
        FixtureAssertions.Sandbox(expected, env.Sandbox);
    }
}
