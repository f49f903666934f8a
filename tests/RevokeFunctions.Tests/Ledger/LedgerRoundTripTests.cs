using System.Collections.Concurrent;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Guards;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>
/// What the ledger costs a target: the calls it makes on the real Table storage ledger (Azurite), and what it logs.
/// </summary>
public sealed class LedgerRoundTripTests
{
    [Fact]
    public async Task A_new_target_is_inserted_claimed_with_its_link_alongside_then_its_result_written_and_never_read()
    {
        await using var env = await TestEnvironment.StartAsync();
        var counting = new CountingLedger(env.Ledger);
        var key = NewKey();

        var target = Assert.Single((await PipelineWith(env, counting).ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);

        Assert.Equal(Outcome.Revoked, target.Outcome);
        // Two sequential round trips: the insert (its link in parallel), then the result.
        Assert.Equal(["add:Revoking", "link", "replace:Revoked"], counting.Calls.Order(StringComparer.Ordinal));
        var row = Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None));
        Assert.Equal((LedgerState.Revoked, 1, key), (row.State, row.Attempts, row.ClaimedBy));
    }

    [Fact]
    public async Task A_repeat_reads_only_after_its_insert_conflicts_and_calls_Graph_for_nothing()
    {
        await using var env = await TestEnvironment.StartAsync();
        var key = NewKey();
        await env.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None);
        env.Sandbox.ResetRecording();
        var counting = new CountingLedger(env.Ledger);

        var repeat = Assert.Single((await PipelineWith(env, counting).ProcessAsync(Native(), Queued(key), CancellationToken.None)).Targets);

        Assert.True(repeat.Replayed);
        Assert.Equal(["add:Revoking", "find", "link"], counting.Calls.Order(StringComparer.Ordinal));
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_decision_without_a_Graph_call_gives_back_the_claim_its_insert_made()
    {
        await using var env = await TestEnvironment.StartAsync();
        var key = NewKey();

        var target = Assert.Single((await env.Pipeline.ProcessAsync(Native("nobody@contoso.com"), Queued(key), CancellationToken.None)).Targets);

        Assert.Equal(Outcome.NotFound, target.Outcome);
        var row = Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None));
        Assert.Equal((LedgerState.NotFound, 0, null, null), (row.State, row.Attempts, row.ClaimedAt, row.ClaimedBy));
    }

    [Fact]
    public async Task A_user_named_twice_is_listed_once_and_the_dropped_targets_claim_is_given_back()
    {
        await using var env = await TestEnvironment.StartAsync();
        var key = NewKey();
        var body = Encoding.UTF8.GetBytes($$"""{"requests":[{"user":"{{FixtureUsers.Alice}}"},{"user":"alice@contoso.com"}]}""");

        var result = await env.Pipeline.ProcessAsync(body, Queued(key), CancellationToken.None);

        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets).Outcome);
        Assert.Single(await env.Ledger.ListAsync(key, CancellationToken.None));
        var table = env.Services.GetRequiredService<TableServiceClient>().GetTableClient(env.LedgerTableName);
        var states = new List<string?>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey.CompareTo("s-") >= 0 && e.PartitionKey.CompareTo("s.") < 0))
            states.Add(row.GetString("State"));
        Assert.Equal(["Received", "Revoked"], states.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_expected_409s_and_412s_of_conditional_writes_reach_no_warning_log()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Ledger:DuplicateWait"] = "00:00:00.200" });
        var key = NewKey();

        // Two deliveries at once (one insert loses: 409), then a repeat (409 again), all on the real Table client.
        await Task.WhenAll(
            host.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None),
            host.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None));
        await host.Pipeline.ProcessAsync(Native(), Queued(key), CancellationToken.None);

        Assert.DoesNotContain(host.Logs.Entries, e => e.Category.StartsWith("Azure", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Category.StartsWith("Azure", StringComparison.Ordinal) && e.Message.Contains("x-ms-", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The real ledger, recording each call (with the state written) in the order made.</summary>
    private sealed class CountingLedger(IRevocationLedger inner) : IRevocationLedger
    {
        private readonly ConcurrentQueue<string> calls = new();

        public IReadOnlyList<string> Calls => [.. calls];

        public bool IsConfigured => inner.IsConfigured;

        public Task<LedgerEntry?> FindAsync(LedgerKey key, CancellationToken cancellationToken) => Record("find", () => inner.FindAsync(key, cancellationToken));

        public Task<LedgerEntry?> TryAddAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
            Record("add:" + entry.State, () => inner.TryAddAsync(entry, cancellationToken));

        public Task<LedgerEntry?> TryReplaceAsync(LedgerEntry entry, CancellationToken cancellationToken) =>
            Record("replace:" + entry.State, () => inner.TryReplaceAsync(entry, cancellationToken));

        public Task LinkAsync(string requestId, LedgerEntry entry, CancellationToken cancellationToken) =>
            Record("link", () => inner.LinkAsync(requestId, entry, cancellationToken));

        public Task UnlinkAsync(string requestId, LedgerKey key, CancellationToken cancellationToken) =>
            Record("unlink", () => inner.UnlinkAsync(requestId, key, cancellationToken));

        public Task<IReadOnlyList<LedgerEntry>> ListAsync(string requestId, CancellationToken cancellationToken) => inner.ListAsync(requestId, cancellationToken);

        public Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => inner.PurgeAsync(olderThan, cancellationToken);

        private T Record<T>(string call, Func<T> next)
        {
            calls.Enqueue(call);
            return next();
        }
    }
}
