using Microsoft.Extensions.Options;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Tests.Queue;

/// <summary>The backoff and the planner's limits, on their own.</summary>
public sealed class RetryPlanningTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static RetryBackoff Backoff(double jitter = 0, int maxAttempts = 10) =>
        new(Options.Create(new QueueOptions { BackoffJitter = jitter, MaxAttempts = maxAttempts }), new ManualTimeProvider(Now));

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(5, 480)]
    [InlineData(6, 900)]
    [InlineData(40, 900)]
    public void The_backoff_doubles_from_the_base_up_to_the_cap(int failedAttempt, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff().DelayAfter(failedAttempt, retryAfter: null));
    }

    [Fact]
    public void A_longer_Retry_After_wins_and_a_shorter_one_does_not()
    {
        Assert.Equal(TimeSpan.FromMinutes(40), Backoff().DelayAfter(1, TimeSpan.FromMinutes(40)));
        Assert.Equal(TimeSpan.FromSeconds(30), Backoff().DelayAfter(1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Jitter_only_ever_lengthens_the_wait()
    {
        var backoff = Backoff(jitter: 0.2);
        for (var i = 0; i < 200; i++)
            Assert.InRange(backoff.DelayAfter(2, null), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(72));
    }

    [Fact]
    public void A_dead_letter_naming_many_users_keeps_its_description_within_the_Service_Bus_limit()
    {
        var planner = new FollowUpPlanner(Backoff());
        var targets = Enumerable.Range(0, 100).Select(i =>
        {
            var upn = $"user{i:000}@contoso.com";
            UserIdentifier.TryCreate(upn, out var identifier, out _);
            return new TargetResult(upn, null, Outcome.NotFound, ReasonCode.UserNotFound, "No user in the directory matches " + new string('x', 200))
            {
                Target = new RequestedTarget(upn, [identifier], Now),
            };
        }).ToList();
        var result = new RevocationResult("r-1", null, new SourceReference("native"), targets);
        var envelope = new RevocationEnvelope("r-1", "m-1", Now, 1, []);

        var plan = planner.Plan(result, new QueueWork(BinaryData.FromString("{}"), envelope));

        Assert.Empty(plan.FollowUps);
        Assert.NotNull(plan.DeadLetter);
        Assert.Equal(DeadLetterNotice.MaxDescriptionLength, plan.DeadLetter.Description.Length);
        Assert.StartsWith("100 of 100 users", plan.DeadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(100, ((string)plan.DeadLetter.Properties[QueueProperties.PendingTargets]).Split(' ').Length);
    }

    [Fact]
    public void A_revocation_the_ledger_could_not_record_is_retried_and_in_the_end_dead_lettered_saying_so()
    {
        UserIdentifier.TryCreate("alice@contoso.com", out var identifier, out _);
        var revoked = new TargetResult("alice@contoso.com", "e322f459-1f7e-41e3-b903-5ceb208d9205", Outcome.Revoked)
        {
            Target = new RequestedTarget("alice@contoso.com", [identifier], Now),
            LedgerPending = true,
        };
        var result = new RevocationResult("r-1", null, new SourceReference("native"), [revoked]);
        var planner = new FollowUpPlanner(Backoff(maxAttempts: 3));

        var early = planner.Plan(result, new QueueWork(BinaryData.FromString("{}"), new RevocationEnvelope("r-1", "m-1", Now, 1, [])));
        var last = planner.Plan(result, new QueueWork(BinaryData.FromString("{}"), new RevocationEnvelope("r-1", "m-1", Now, 3, [])));

        Assert.Equal(TargetSettlement.Retry, TargetSettlements.Of(revoked));
        Assert.Null(early.DeadLetter);
        Assert.Equal("UserPrincipalName:alice@contoso.com", TargetKey.Join(Assert.Single(early.FollowUps).Envelope.PendingTargets));
        Assert.Empty(last.FollowUps);
        Assert.Equal(ReasonCode.TransientExhausted, last.DeadLetter?.Reason);
        Assert.Contains("ledger could not record", last.DeadLetter?.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Copies_get_their_own_MessageId_within_the_128_character_limit_even_for_long_originals()
    {
        var envelope = new RevocationEnvelope("r-1", new string('m', 128), Now, 1, []);

        var hash = new string('a', 64);
        var id = envelope.CopyMessageId("retry-2", hash);

        Assert.True(id.Length <= 128);
        Assert.EndsWith("/retry-2", id, StringComparison.Ordinal);
        Assert.Equal(id, envelope.CopyMessageId("retry-2", hash));
        Assert.NotEqual(id, envelope.CopyMessageId("retry-2", new string('b', 64)));
    }
}
