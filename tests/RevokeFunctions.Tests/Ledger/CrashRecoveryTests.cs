using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>
/// Layer 3: the process dies between any two steps (receive, claim, Graph, record); the redelivery of the same message
/// ends in exactly one correct final state, and Graph is called at most once over both attempts.
/// </summary>
public sealed class CrashRecoveryTests
{
    // A short claim lease, so the redelivery takes over the dead attempt's claim within the test.
    private static readonly Dictionary<string, string?> ShortClaim = new() { ["Ledger:ClaimTimeout"] = "00:00:01" };

    [Theory]
    [InlineData(LedgerFault.BeforeReceive, 0)]
    [InlineData(LedgerFault.AfterReceive, 0)]
    [InlineData(LedgerFault.AfterClaim, 0)]
    [InlineData(LedgerFault.BeforeRecord, 1)]
    [InlineData(LedgerFault.AfterRecord, 1)]
    public async Task A_crash_between_any_two_steps_is_finished_by_the_redelivery_with_one_revocation(LedgerFault fault, int revokedBeforeCrash)
    {
        await using var env = await TestEnvironment.StartAsync(ShortClaim);
        var key = NewKey();
        var enqueuedAt = DateTimeOffset.UtcNow;
        var crashing = new FaultyLedger(env.Ledger) { CrashAt = fault };

        await Assert.ThrowsAsync<SimulatedCrashException>(
            () => PipelineWith(env, crashing).ProcessAsync(Native(), Queued(key, enqueuedAt), CancellationToken.None));
        Assert.Equal(revokedBeforeCrash, env.Sandbox.TotalRevocations);

        var redelivered = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key, enqueuedAt), CancellationToken.None)).Targets);

        Assert.Equal(Outcome.Revoked, redelivered.Outcome);
        Assert.Null(redelivered.Reason);
        Assert.False(redelivered.LedgerPending);
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Equal(1, Posts(env));
        var row = Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None));
        Assert.Equal((LedgerState.Revoked, Outcome.Revoked, FixtureUsers.Alice), (row.State, row.Outcome, row.UserId));
        if (fault == LedgerFault.BeforeRecord)
            Assert.Contains("after an interruption", redelivered.Detail, StringComparison.Ordinal);

        // Settled now: one more delivery is answered from the ledger alone.
        env.Sandbox.ResetRecording();
        var again = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key, enqueuedAt), CancellationToken.None)).Targets);
        Assert.True(again.Replayed);
        Assert.Equal(Outcome.Revoked, again.Outcome);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_claim_younger_than_the_lease_is_not_taken_over_but_answered_as_in_progress()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Ledger:ClaimTimeout"] = "00:05:00",
            ["Ledger:DuplicateWait"] = "00:00:00.300",
        });
        var key = NewKey();
        var crashing = new FaultyLedger(env.Ledger) { CrashAt = LedgerFault.AfterClaim };
        await Assert.ThrowsAsync<SimulatedCrashException>(
            () => PipelineWith(env, crashing).ProcessAsync(Native(), Queued(key), CancellationToken.None));

        var redelivered = Assert.Single((await env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);

        Assert.Equal((Outcome.Failed, ReasonCode.InProgress, true), (redelivered.Outcome, redelivered.Reason, redelivered.IsTransient));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Equal(LedgerState.Revoking, Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None)).State);
    }
}
