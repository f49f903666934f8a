using System.Diagnostics.Metrics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Guards;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;

namespace RevokeFunctions.Tests.Guards;

/// <summary>
/// The storm guard on Azurite. "Instances" are separate guards with their own Table clients, sharing only the table,
/// as scaled-out Functions hosts do.
/// </summary>
public sealed class StormGuardTests
{
    private static readonly string[] Users = [.. Enumerable.Range(1, 80).Select(i => $"0b5e7a10-4c1d-4e2f-9a00-{i:D12}")];

    private sealed class Instance : IDisposable
    {
        private readonly ServiceProvider services;

        public Instance(string table, int maxUsers = 5, int leaverMaxUsers = 7, TimeSpan? window = null, TimeProvider? time = null, TableServiceClient? tables = null)
        {
            var collection = new ServiceCollection();
            collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
            collection.AddMetrics();
            collection.AddSingleton<RevocationMetrics>();
            var options = new GuardOptions();
            options.StormGuard.MaxUsers = maxUsers;
            options.StormGuard.LeaverMaxUsers = leaverMaxUsers;
            options.StormGuard.Window = window ?? TimeSpan.FromMinutes(10);
            options.StormGuard.TableName = table;
            collection.AddSingleton(Options.Create(options));
            collection.AddSingleton(time ?? TimeProvider.System);
            collection.AddSingleton(tables ?? new TableServiceClient(GuardHost.Azurite));
            collection.AddSingleton<StormGuard>();
            services = collection.BuildServiceProvider();
            Guard = services.GetRequiredService<StormGuard>();
        }

        public CapturedLogs Logs { get; } = new();

        public StormGuard Guard { get; }

        public IMeterFactory Meters => services.GetRequiredService<IMeterFactory>();

        public Task<StormGuardDecision> AdmitAsync(params string[] users) => AdmitAsync(RequestOrigin.Automated, users);

        public Task<StormGuardDecision> AdmitAsync(RequestOrigin origin, string[] users, bool dryRun = false) =>
            Guard.AdmitAsync(new StormGuardRequest(origin, users, Guid.NewGuid().ToString("D"), SentinelIncidentFormat.FormatKind, dryRun), CancellationToken.None);

        public void Dispose() => services.Dispose();
    }

    private static async Task<TableEntity?> RowAsync(string table, RequestOrigin origin)
    {
        var client = new TableServiceClient(GuardHost.Azurite).GetTableClient(table);
        var row = await client.GetEntityIfExistsAsync<TableEntity>(StormGuard.PartitionKey, origin.ToString().ToLowerInvariant());
        return row.HasValue ? row.Value : null;
    }

    private static IEnumerable<string> Admitted(StormGuardDecision decision, IEnumerable<string> asked) => asked.Where(decision.Admits);

    [Fact]
    public async Task Eight_instances_racing_for_five_places_admit_exactly_five()
    {
        var table = GuardHost.NewTableName();
        var instances = Enumerable.Range(0, 8).Select(_ => new Instance(table, maxUsers: 5)).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var racers = instances.Select((instance, i) => Task.Run(async () =>
            {
                start.Wait();
                return (User: Users[i], Decision: await instance.AdmitAsync(Users[i]));
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(racers);

            Assert.All(results, r => Assert.False(r.Decision.IsUnavailable, r.Decision.Problem));
            Assert.Equal(5, results.Count(r => r.Decision.Admits(r.User)));
            Assert.Equal(3, results.Count(r => r.Decision.Refused.Contains(r.User)));
            var row = await RowAsync(table, RequestOrigin.Automated);
            Assert.Equal(5, row!.GetInt32("Count"));
            var counted = results.Where(r => r.Decision.Admits(r.User)).Select(r => r.User);
            Assert.All(counted, user => Assert.Contains(user, row.GetString("Users"), StringComparison.Ordinal));
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public async Task Overlapping_concurrent_requests_count_distinct_users_across_instances()
    {
        var table = GuardHost.NewTableName();
        var instances = Enumerable.Range(0, 6).Select(_ => new Instance(table, maxUsers: 5)).ToList();
        try
        {
            // Every request names users 0..2 plus one of its own: 3 shared + 6 own = 9 distinct, limit 5.
            var requests = instances.Select((instance, i) => (Instance: instance, Users: new[] { Users[0], Users[1], Users[2], Users[10 + i] })).ToList();
            var results = await Task.WhenAll(requests.Select(r => Task.Run(() => r.Instance.AdmitAsync(r.Users))));

            var admitted = requests.Zip(results).SelectMany(p => Admitted(p.Second, p.First.Users)).Distinct().ToList();
            Assert.Equal(5, admitted.Count);
            Assert.Contains(Users[0], admitted);
            Assert.Contains(Users[1], admitted);
            Assert.Contains(Users[2], admitted);
            Assert.Equal(5, (await RowAsync(table, RequestOrigin.Automated))!.GetInt32("Count"));
        }
        finally
        {
            instances.ForEach(i => i.Dispose());
        }
    }

    [Fact]
    public async Task The_first_users_in_payload_order_are_admitted_and_the_rest_refused()
    {
        using var instance = new Instance(GuardHost.NewTableName(), maxUsers: 5);
        var asked = Users[..7];

        var decision = await instance.AdmitAsync(asked);

        Assert.Equal(Users[..5], Admitted(decision, asked));
        Assert.Equal(Users[5..7].ToHashSet(), decision.Refused.ToHashSet());
        Assert.Equal(5, decision.CountInWindow);
        Assert.Equal(5, decision.Limit);
    }

    [Fact]
    public async Task The_same_user_again_within_the_window_counts_once_and_is_still_admitted_when_full()
    {
        var table = GuardHost.NewTableName();
        using var first = new Instance(table, maxUsers: 3);
        using var second = new Instance(table, maxUsers: 3);

        await first.AdmitAsync(Users[0], Users[0], Users[1]);
        var again = await second.AdmitAsync(Users[1], Users[0]);
        var third = await first.AdmitAsync(Users[2]);
        var full = await second.AdmitAsync(Users[3], Users[0]);

        Assert.Empty(again.Refused);
        Assert.Equal(2, again.CountInWindow);
        Assert.Empty(third.Refused);
        Assert.Equal([Users[3]], full.Refused);
        Assert.True(full.Admits(Users[0]), "a user already counted is not a new user");
    }

    [Fact]
    public async Task The_window_slides_each_user_leaves_it_a_window_after_it_was_last_admitted()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 58, 0, TimeSpan.Zero));
        using var instance = new Instance(GuardHost.NewTableName(), maxUsers: 2, window: TimeSpan.FromMinutes(10), time: clock);

        await instance.AdmitAsync(Users[0]);                   // 09:58
        clock.Advance(TimeSpan.FromMinutes(4));
        await instance.AdmitAsync(Users[1]);                   // 10:02: a fixed 10:00 bucket would start empty here
        clock.Advance(TimeSpan.FromMinutes(5));
        var stillFull = await instance.AdmitAsync(Users[2]);  // 10:07: both still within 10 minutes
        clock.Advance(TimeSpan.FromMinutes(2));
        var oneLeft = await instance.AdmitAsync(Users[2]);    // 10:09: user 0 (09:58) has left
        var fullAgain = await instance.AdmitAsync(Users[3]);

        Assert.Equal([Users[2]], stillFull.Refused);
        Assert.Empty(oneLeft.Refused);
        Assert.Equal([Users[3]], fullAgain.Refused);
    }

    [Fact]
    public async Task The_first_trip_logs_an_error_and_counts_a_trip_once_until_the_window_drains()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var table = GuardHost.NewTableName();
        using var first = new Instance(table, maxUsers: 2, window: TimeSpan.FromMinutes(10), time: clock);
        using var second = new Instance(table, maxUsers: 2, window: TimeSpan.FromMinutes(10), time: clock);
        var trips = new List<Measurement>();
        using var listener = Listen(trips, first.Meters, second.Meters);

        await first.AdmitAsync(Users[0], Users[1]);
        await first.AdmitAsync(Users[2]);     // trips
        await second.AdmitAsync(Users[3]);    // same episode, other instance: no second error
        await first.AdmitAsync(Users[4]);
        clock.Advance(TimeSpan.FromMinutes(11));
        await second.AdmitAsync(Users[5], Users[6]);
        await second.AdmitAsync(Users[7]);    // a new episode: a new error

        var errors = first.Logs.Entries.Concat(second.Logs.Entries).Where(e => e.EventId.Id == 710).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.Single(first.Logs.Entries, e => e.EventId.Id == 710);
        Assert.Single(second.Logs.Entries, e => e.EventId.Id == 710);
        Assert.Equal(2, trips.Count);
        Assert.All(trips, t => Assert.Equal(SentinelIncidentFormat.FormatKind, t.Source));
        var row = await RowAsync(table, RequestOrigin.Automated);
        Assert.NotNull(row!.GetDateTimeOffset("TrippedAt"));
        Assert.Equal(1, row.GetInt32("RefusedSinceTrip"));
    }

    [Fact]
    public async Task Leavers_have_their_own_limit_and_their_own_count()
    {
        var table = GuardHost.NewTableName();
        using var instance = new Instance(table, maxUsers: 2, leaverMaxUsers: 4);

        var alerts = await instance.AdmitAsync(RequestOrigin.Automated, Users[..3]);
        var leavers = await instance.AdmitAsync(RequestOrigin.Leaver, Users[..5]);

        Assert.Equal([Users[2]], alerts.Refused);
        Assert.Equal([Users[4]], leavers.Refused);
        Assert.Equal(4, leavers.Limit);
        Assert.Equal(2, (await RowAsync(table, RequestOrigin.Automated))!.GetInt32("Count"));
        Assert.Equal(4, (await RowAsync(table, RequestOrigin.Leaver))!.GetInt32("Count"));
    }

    [Fact]
    public async Task People_are_not_counted_and_the_table_is_not_even_touched()
    {
        var table = GuardHost.NewTableName();
        using var instance = new Instance(table, maxUsers: 1);

        var decision = await instance.AdmitAsync(RequestOrigin.Person, Users[..10]);

        Assert.Empty(decision.Refused);
        Assert.All(Users[..10], u => Assert.True(decision.Admits(u)));
        var tables = new TableServiceClient(GuardHost.Azurite).QueryAsync(t => t.Name == table);
        await foreach (var _ in tables)
            Assert.Fail("a person's request created the storm-guard table");
    }

    [Fact]
    public async Task A_dry_run_answers_as_if_but_counts_nobody()
    {
        var table = GuardHost.NewTableName();
        using var instance = new Instance(table, maxUsers: 2);
        await instance.AdmitAsync(Users[0]);

        var dry = await instance.AdmitAsync(RequestOrigin.Automated, Users[1..4], dryRun: true);
        var real = await instance.AdmitAsync(Users[4]);

        Assert.Equal(Users[2..4].ToHashSet(), dry.Refused.ToHashSet());
        Assert.Empty(real.Refused);
        Assert.DoesNotContain(instance.Logs.Entries, e => e.EventId.Id == 710);
    }

    [Fact]
    public async Task Unreachable_storage_fails_closed_as_unavailable()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        // Azurite's well-known development account on a port where nothing listens.
        var unreachable = new TableServiceClient(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            options);
        using var instance = new Instance(GuardHost.NewTableName(), tables: unreachable);

        var decision = await instance.AdmitAsync(Users[0]);

        Assert.True(decision.IsUnavailable);
        Assert.False(decision.Admits(Users[0]));
        Assert.Contains(instance.Logs.Entries, e => e.EventId.Id == 712 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task Without_storage_automated_requests_fail_closed_and_people_pass()
    {
        var guard = new UnconfiguredStormGuard();

        var automated = await guard.AdmitAsync(new StormGuardRequest(RequestOrigin.Automated, Users[..1], "r1", SentinelIncidentFormat.FormatKind), CancellationToken.None);
        var leaver = await guard.AdmitAsync(new StormGuardRequest(RequestOrigin.Leaver, Users[..1], "r2", HrLeaverFormat.FormatKind), CancellationToken.None);
        var person = await guard.AdmitAsync(new StormGuardRequest(RequestOrigin.Person, Users[..1], "r3", NativeRequestFormat.FormatKind), CancellationToken.None);

        Assert.True(automated.IsUnavailable);
        Assert.Contains("Ledger:serviceUri", automated.Problem, StringComparison.Ordinal);
        Assert.False(automated.Admits(Users[0]));
        Assert.True(leaver.IsUnavailable);
        Assert.True(person.Admits(Users[0]));
    }

    [Theory]
    [InlineData(RequestChannel.Cli, false, SentinelIncidentFormat.FormatKind, RequestOrigin.Person)]
    [InlineData(RequestChannel.Cli, false, HrLeaverFormat.FormatKind, RequestOrigin.Person)]
    [InlineData(RequestChannel.Http, true, NativeRequestFormat.FormatKind, RequestOrigin.Person)]
    [InlineData(RequestChannel.Http, false, NativeRequestFormat.FormatKind, RequestOrigin.Automated)]
    [InlineData(RequestChannel.Http, true, SentinelIncidentFormat.FormatKind, RequestOrigin.Automated)]
    [InlineData(RequestChannel.Http, true, HrLeaverFormat.FormatKind, RequestOrigin.Leaver)]
    [InlineData(RequestChannel.Queue, true, NativeRequestFormat.FormatKind, RequestOrigin.Automated)]
    [InlineData(RequestChannel.Queue, false, CloudEventFormat.FormatKind, RequestOrigin.Automated)]
    [InlineData(RequestChannel.Queue, false, HrLeaverFormat.FormatKind, RequestOrigin.Leaver)]
    public void Origins_are_classified_by_channel_caller_and_format(RequestChannel channel, bool callerIsPerson, string kind, RequestOrigin expected)
    {
        Assert.Equal(expected, RequestOriginPolicy.Classify(channel, callerIsPerson, kind));
    }

    private sealed record Measurement(long Value, string? Source);

    private static MeterListener Listen(List<Measurement> into, params IMeterFactory[] factories)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RevocationMetrics.MeterName && instrument.Name == "revocations.storm_guard_trips"
                && factories.Any(f => ReferenceEquals(instrument.Meter.Scope, f)))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? source = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "source")
                    source = tag.Value as string;
            }
            lock (into)
                into.Add(new Measurement(value, source));
        });
        listener.Start();
        return listener;
    }
}
