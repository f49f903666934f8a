using System.Diagnostics.Metrics;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RevokeFunctions.Graph;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Tests.WriteBack;
using RevokeFunctions.Verification;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.Verification;

/// <summary>
/// Proof, not <c>true</c> (issue 18): through the real HTTP function, pipeline, ledger and write-back on Azurite and the
/// Graph SDK against the sandbox, each revocation is read back from Graph after the answer, by the verification timer's
/// own work, until <c>signInSessionsValidFromDateTime</c> shows it. The app's clock is a FakeTimeProvider, so the
/// two-minute bound costs no waiting and nothing depends on how fast the machine is.
/// </summary>
public sealed class ProofTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static Dictionary<string, string?> On(bool sentinel = false, bool defender = false) => new()
    {
        ["Revocation:Verification:Enabled"] = "true",
        ["Revocation:Verification:Interval"] = Interval.ToString(),
        ["Revocation:Verification:Timeout"] = Timeout.ToString(),
        ["WriteBack:SentinelComments"] = sentinel ? "true" : "false",
        ["WriteBack:DefenderComments"] = defender ? "true" : "false",
        ["Notifications:ManagerEmail:Enabled"] = "false",
    };

    /// <summary>
    /// The app as deployed, but the verification (its outbox and its checks) on <paramref name="time"/>: the bound
    /// passes when the test says, while the rest of the app (the Graph rate limiter's schedule among it) keeps real time.
    /// </summary>
    private static Task<WriteBackHost> StartAsync(Dictionary<string, string?> settings, FakeTimeProvider time,
        Func<IServiceProvider, TableServiceClient>? verificationStore = null) =>
        WriteBackHost.StartAsync(settings, replace: services =>
        {
            services.AddSingleton(sp => new VerificationOutbox(verificationStore?.Invoke(sp) ?? sp.GetRequiredService<TableServiceClient>(),
                sp.GetRequiredService<IOptions<LedgerOptions>>(), time));
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RevocationVerifier>(sp, (TimeProvider)time));
        });

    private static RevocationVerifier Verifier(WriteBackHost host) => host.Services.GetRequiredService<RevocationVerifier>();

    private static Task<IReadOnlyList<VerificationStatus>> RunTimerAsync(WriteBackHost host) =>
        Verifier(host).VerifyDueAsync(CancellationToken.None);

    private static async Task<IReadOnlyList<TableEntity>> VerificationRowsAsync(WriteBackHost host)
    {
        var table = host.Services.GetRequiredService<TableServiceClient>()
            .GetTableClient(host.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName);
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {VerificationOutbox.Partition}")))
            rows.Add(row);
        return rows;
    }

    private static async Task<TargetStatus> StatusAsync(WriteBackHost host, string requestId) =>
        TargetStatus.From(Assert.Single(await host.Services.GetRequiredService<IRevocationLedger>().ListAsync(requestId, CancellationToken.None)));

    private static DateTimeOffset WholeSecond(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    [Fact]
    public async Task A_revocation_is_read_back_after_the_answer_and_recorded_as_verified()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(On(), time);

        var outcome = await OverHttpAsync(host, Native("alice@contoso.com"), Person());
        var target = Assert.Single(outcome.Result.Targets);
        var revokeAt = host.Sandbox.Requests.ToList().FindIndex(r => r.Path.EndsWith("/revokeSignInSessions", StringComparison.Ordinal));

        // The answer did not wait: it says the proof is pending, nothing was read back after the revocation, and the
        // check waits in the outbox for one interval.
        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(VerificationState.Pending, target.Verification?.State);
        Assert.Null(Reporting.TargetReport.From(target).Verified);
        Assert.Equal(revokeAt, host.Sandbox.Requests.Count - 1);
        Assert.Single(await VerificationRowsAsync(host));
        Assert.Equal("Pending", (await StatusAsync(host, outcome.Context.RequestId)).Verification);
        Assert.Empty(await RunTimerAsync(host));

        time.Advance(Interval);
        var proof = Assert.Single(await RunTimerAsync(host));

        Assert.Equal(VerificationState.Verified, proof.State);
        Assert.InRange(proof.SessionsValidFrom!.Value, WholeSecond(target.RevokedAt!.Value), DateTimeOffset.UtcNow);
        var read = host.Sandbox.Requests[revokeAt + 1];
        Assert.Equal(("GET", $"/v1.0/users/{Infrastructure.FixtureUsers.Alice}"), (read.Method, read.Path));
        Assert.Contains("signInSessionsValidFromDateTime", read.Query, StringComparison.Ordinal);
        // A read costs resource units, never the write budget the rate limiter paces revocations with.
        Assert.Equal(0, GraphRequestCost.Of(HttpMethod.Get, new Uri("https://graph.microsoft.com/v1.0/users/x?" + read.Query)).Writes);
        var status = await StatusAsync(host, outcome.Context.RequestId);
        Assert.Equal(("Verified", true, proof.SessionsValidFrom, time.GetUtcNow()), (status.Verification, status.Verified, status.SessionsValidFrom, status.VerifiedAt));
        Assert.Contains("\"verified\":true", JsonSerializer.Serialize(status, LedgerJsonContext.Default.TargetStatus), StringComparison.Ordinal);
        Assert.Empty(await VerificationRowsAsync(host));
    }

    [Fact]
    public async Task A_timestamp_that_shows_late_within_the_bound_is_verified_on_a_later_read()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(On(), time);
        host.Sandbox.Options.SessionsValidFromStaleReads = 2;

        var outcome = await OverHttpAsync(host, Native("alice@contoso.com"), Person());

        time.Advance(Interval);
        Assert.Empty(await RunTimerAsync(host));
        Assert.Equal(1, Assert.Single(await VerificationRowsAsync(host)).GetInt32("Checks"));
        time.Advance(Interval);
        Assert.Empty(await RunTimerAsync(host));
        time.Advance(Interval);
        var proof = Assert.Single(await RunTimerAsync(host));

        Assert.Equal(VerificationState.Verified, proof.State);
        Assert.True((await StatusAsync(host, outcome.Context.RequestId)).Verified);
        Assert.Empty(host.Webhook.Requests);
    }

    [Fact]
    public async Task A_timestamp_that_never_moves_is_flagged_unverified_by_log_metric_webhook_and_status()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(On(), time);
        using var metrics = new VerificationMeasurements(host.Services);
        host.Sandbox.Options.SessionsValidFromFrozen = true;
        var before = host.Sandbox.Tenant.FindById(Infrastructure.FixtureUsers.Alice)!.SignInSessionsValidFromDateTime;

        var outcome = await OverHttpAsync(host, Native("alice@contoso.com"), Person());
        await DispatchAsync(host, outcome);
        var revokedAt = Assert.Single(outcome.Result.Targets).RevokedAt!.Value;

        IReadOnlyList<VerificationStatus> settled = [];
        for (var run = 0; run < 30 && settled.Count == 0; run++)
        {
            time.Advance(Interval);
            settled = await RunTimerAsync(host);
        }

        var flag = Assert.Single(settled);
        Assert.Equal(VerificationState.Unverified, flag.State);
        Assert.True(time.GetUtcNow() >= revokedAt + Timeout, "flagged only once the bound has passed");
        Assert.Equal(WholeSecond(before), flag.SessionsValidFrom);
        var status = await StatusAsync(host, outcome.Context.RequestId);
        Assert.Equal(("Unverified", false), (status.Verification, status.Verified));
        var warning = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 903);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(outcome.Context.RequestId, warning.Message, StringComparison.Ordinal);
        Assert.Contains(metrics.Taken, m => m.Result == "Unverified" && m.Source == "native");

        await host.DeliverAsync();
        using var body = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        Assert.Equal("revocation-unverified", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("alice@contoso.com", body.RootElement.GetProperty("users").GetString());
        Assert.Equal("Unverified", body.RootElement.GetProperty("reason").GetString());
        Assert.Empty(await VerificationRowsAsync(host));

        // Told once: another delivery posts nothing new.
        await host.DeliverAsync();
        Assert.Single(host.Webhook.Requests);
    }

    [Fact]
    public async Task The_Sentinel_comment_shows_the_timestamp_read_back()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(On(sentinel: true), time);

        var outcome = await OverHttpAsync(host, SentinelIncident(), Automated());
        await DispatchAsync(host, outcome);
        var revoked = outcome.Result.Targets.Count(t => t.Outcome == Outcome.Revoked);
        Assert.DoesNotContain("verified", CommentMessage(Assert.Single(host.Arm.Requests)), StringComparison.Ordinal);

        time.Advance(Interval);
        Assert.Equal(revoked, (await RunTimerAsync(host)).Count(p => p.State == VerificationState.Verified));
        await host.DeliverAsync();

        var message = CommentMessage(host.Arm.Requests[^1]);
        Assert.Equal(revoked, CountOf(message, "revoked, verified: Graph shows sign-in sessions valid from "));
    }

    [Fact]
    public async Task The_Defender_comment_waits_for_the_proof_and_is_posted_once_with_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(On(defender: true), time);

        var outcome = await OverHttpAsync(host, DefenderAlert(), Automated());
        var report = await DispatchAsync(host, outcome);
        Assert.Equal(ChannelStatus.Waiting, report.For(WriteBackChannel.DefenderComment)?.Status);
        Assert.Empty(host.Sandbox.AlertComments);

        time.Advance(Interval);
        await RunTimerAsync(host);
        await host.DeliverAsync();
        await host.DeliverAsync();

        var comment = Assert.Single(host.Sandbox.AlertComments);
        Assert.Contains("revoked, verified: Graph shows sign-in sessions valid from ", comment.Comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_verification_store_down_the_revocation_stands_and_says_it_will_not_be_checked()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Table storage that refuses connections, for the verification outbox alone: the ledger stays on Azurite.
        var down = new TableServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"),
            new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])), new TableClientOptions { Retry = { MaxRetries = 0 } });
        await using var host = await StartAsync(On(), time, _ => down);
        using var metrics = new VerificationMeasurements(host.Services);

        var outcome = await OverHttpAsync(host, Native("alice@contoso.com"), Person());

        var target = Assert.Single(outcome.Result.Targets);
        Assert.Equal(Outcome.Revoked, target.Outcome);
        Assert.Equal(1, host.Sandbox.RevocationCount(Infrastructure.FixtureUsers.Alice));
        Assert.Equal(VerificationState.NotScheduled, target.Verification?.State);
        Assert.False(target.LedgerPending);
        Assert.Equal("NotScheduled", (await StatusAsync(host, outcome.Context.RequestId)).Verification);
        var warning = Assert.Single(host.Logs.Entries, e => e.EventId.Id == 901);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(metrics.Taken, m => m.Result == "NotScheduled");

        // The timer meets the same outage: nothing thrown, said in the log.
        time.Advance(Interval);
        Assert.Empty(await RunTimerAsync(host));
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 904);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>The <c>revocations.verifications</c> counter of one environment's meter.</summary>
    private sealed class VerificationMeasurements : IDisposable
    {
        private readonly MeterListener listener;
        private readonly List<(string Result, string Source)> taken = [];

        public VerificationMeasurements(IServiceProvider services)
        {
            var factory = services.GetRequiredService<IMeterFactory>();
            listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (instrument.Meter.Name == RevocationMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory)
                        && instrument.Name == "revocations.verifications")
                        l.EnableMeasurementEvents(instrument);
                },
            };
            listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                var all = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
                lock (taken)
                    taken.Add((all["result"] ?? "", all["source"] ?? ""));
            });
            listener.Start();
        }

        public IReadOnlyList<(string Result, string Source)> Taken
        {
            get
            {
                lock (taken)
                    return [.. taken];
            }
        }

        public void Dispose() => listener.Dispose();
    }
}
