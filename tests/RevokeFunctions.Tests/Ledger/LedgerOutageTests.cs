using RevokeFunctions.Ledger;
using RevokeFunctions.Reporting;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>A revocation is never withheld because the ledger is down; the record is completed once it answers again.</summary>
public sealed class LedgerOutageTests
{
    /// <summary>Azurite's published development account, at a port nothing listens on.</summary>
    private static readonly Dictionary<string, string?> ClosedPort = new()
    {
        ["Ledger:connectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
            + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        ["Ledger:Retry:MaxRetries"] = "0",
    };

    [Fact]
    public async Task With_Table_storage_unreachable_the_user_is_revoked_and_HTTP_answers_the_outcome_with_a_warning()
    {
        await using var env = await TestEnvironment.StartAsync(ClosedPort);

        var response = await LedgerHttp.PostAsync(env, """{"user":"alice@contoso.com","reason":"phishing"}""", NewKey());

        // This environment has no queue either, so the unwritten record cannot be handed on; the user is revoked all the
        // same, so the answer is the outcome with a warning, never a 503 that would read as "not revoked".
        Assert.Equal(200, response.Status);
        var result = response.Body.GetProperty("results")[0];
        Assert.Equal("Revoked", result.GetProperty("outcome").GetString());
        Assert.Equal(TargetReport.LedgerPendingWarning, result.GetProperty("warning").GetString());
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));

        var status = await LedgerHttp.GetStatusAsync(env, response.Body.GetProperty("requestId").GetString()!);
        Assert.Equal(503, status.Status);
        Assert.Equal("urn:revokefunctions:problem:ledger-unavailable", status.Body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_pending_record_is_written_by_RecordPendingAsync_with_the_real_outcome_and_no_Graph_call()
    {
        await using var env = await TestEnvironment.StartAsync();
        var ledger = new FaultyLedger(env.Ledger) { Down = true };
        var pipeline = PipelineWith(env, ledger);
        var context = Queued(NewKey());

        var result = await pipeline.ProcessAsync(Native(), context, CancellationToken.None);
        var target = Assert.Single(result.Targets);
        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.True(target.LedgerPending);
        Assert.Equal(1, env.Sandbox.TotalRevocations);

        ledger.Down = false;
        env.Sandbox.ResetRecording();
        var recorded = await pipeline.RecordPendingAsync(result, context, CancellationToken.None);

        Assert.False(Assert.Single(recorded.Targets).LedgerPending);
        Assert.Empty(env.Sandbox.Requests);
        var row = Assert.Single(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None));
        Assert.Equal((LedgerState.Revoked, FixtureUsers.Alice, "phishing"), (row.State, row.UserId, row.RequestReason));
    }

    [Fact]
    public async Task A_pending_record_is_completed_by_the_redelivery_from_Graphs_timestamp_without_revoking_again()
    {
        await using var env = await TestEnvironment.StartAsync();
        var ledger = new FaultyLedger(env.Ledger) { Down = true };
        // Enqueued a little earlier: Graph keeps whole seconds, and the revocation must be visibly after the event.
        var context = Queued(NewKey(), DateTimeOffset.UtcNow.AddSeconds(-2));

        var first = Assert.Single((await PipelineWith(env, ledger).ProcessAsync(Native(), context, CancellationToken.None)).Targets);
        ledger.Down = false;
        var redelivered = Assert.Single((await PipelineWith(env, ledger).ProcessAsync(Native(), context, CancellationToken.None)).Targets);

        Assert.Equal((Outcome.Revoked, true), (first.Outcome, first.LedgerPending));
        Assert.Equal((Outcome.AlreadyRevoked, false), (redelivered.Outcome, redelivered.LedgerPending));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Equal(LedgerState.AlreadyRevoked, Assert.Single(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None)).State);
    }

    [Fact]
    public async Task A_ledger_that_fails_after_the_claim_still_lets_the_revocation_through_and_marks_it_pending()
    {
        await using var env = await TestEnvironment.StartAsync();
        var ledger = new OutageAfterClaim(env.Ledger);
        var context = Queued(NewKey());

        var target = Assert.Single((await PipelineWith(env, ledger).ProcessAsync(Native(), context, CancellationToken.None)).Targets);

        Assert.Equal((Outcome.Revoked, true), (target.Outcome, target.LedgerPending));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Equal(LedgerState.Revoking, Assert.Single(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None)).State);
    }

    /// <summary>Table storage goes away right after the claim is written.</summary>
    private sealed class OutageAfterClaim(IRevocationLedger inner) : IRevocationLedger
    {
        private volatile bool down;

        public bool IsConfigured => true;

        public Task<LedgerEntry?> FindAsync(LedgerKey key, CancellationToken cancellationToken) => Up(() => inner.FindAsync(key, cancellationToken));

        public async Task<LedgerEntry?> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken)
        {
            // A new target's row is inserted already claimed.
            var written = await Up(() => inner.TryAddAsync(entry, cancellationToken));
            down |= entry.State == LedgerState.Revoking;
            return written;
        }

        public async Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken)
        {
            var written = await Up(() => inner.TryReplaceAsync(entry, cancellationToken));
            down |= entry.State == LedgerState.Revoking;
            return written;
        }

        public Task LinkAsync(string requestId, LedgerEntry entry, CancellationToken cancellationToken) => Up(() => inner.LinkAsync(requestId, entry, cancellationToken));

        public Task<IReadOnlyList<LedgerEntry>> ListAsync(string requestId, CancellationToken cancellationToken) => inner.ListAsync(requestId, cancellationToken);

        public Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => inner.PurgeAsync(olderThan, cancellationToken);

        private T Up<T>(Func<T> call) => down ? throw new LedgerUnavailableException("Simulated outage after the claim.") : call();
    }
}
