using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Reporting;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Guards;
using RevokeFunctions.Queue;

namespace RevokeFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: k app instances drain one backlog of one-target messages (HR leavers and native requests, alternating)
/// against one throttled sandbox and one Azurite, as Flex Consumption's scale-out runs them. Each instance is its own
/// composition (its own limiter, Graph client and ledger client) with <c>concurrency</c> messages at once; all share
/// the ledger's table, as instances of one deployment share its storage account. Every instance's limiter is set to
/// Graph's whole quota: dividing it is the shared budget's job (<c>--budget each</c> turns that off, as before).
/// </summary>
internal static class ScaleOutScenario
{
    public static async Task<ScaleOutRunResult> RunAsync(ThrottleSettings throttle, int instances, double seconds, int concurrency, bool shared, CancellationToken cancellationToken)
    {
        var targets = (int)Math.Round(throttle.WriteLimit / throttle.TimeScale * seconds);
        await using var sandbox = await GraphSandboxServer.StartAsync(BenchTenant.Create(targets), throttle.SandboxOptions(), cancellationToken);
        var bus = new InMemoryServiceBus(throttle.TimeScale);
        var table = "benchscale" + Guid.NewGuid().ToString("N")[..12];
        var settings = throttle.LimiterSettings();
        settings["Ledger:TableName"] = table;
        settings["Graph:RateLimit:Shared:Enabled"] = shared ? "true" : "false";
        // Instances check in every 2 s (scaled): the default 5 s is made for hours-long drains, not a one-minute run.
        settings["Graph:RateLimit:Shared:RefreshInterval"] = TimeSpan.FromSeconds(2 * throttle.TimeScale).ToString("c", CultureInfo.InvariantCulture);

        var hosts = new List<PipelineHost>();
        try
        {
            for (var i = 0; i < instances; i++)
            {
                hosts.Add(PipelineHost.Start(sandbox.BaseUrl, settings, services =>
                {
                    services.AddSingleton<IRevocationQueue>(bus);
                    services.AddSingleton<IStormGuard, AdmittingStormGuard>();
                }));
            }
            var now = DateTimeOffset.UtcNow;
            for (var user = 0; user < targets; user++)
            {
                var body = user % 2 == 0 ? BenchPayloads.NativeRequest(user) : BenchPayloads.HrLeaver(user, now.AddHours(-1));
                bus.Submit(body, Guid.NewGuid().ToString("D"));
            }

            var clock = Stopwatch.StartNew();
            var workers = hosts.SelectMany(host =>
            {
                var handler = host.Services.GetRequiredService<RevocationQueueHandler>();
                return Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
                {
                    await foreach (var message in bus.Messages.ReadAllAsync(cancellationToken))
                        await handler.HandleAsync(message, bus, cancellationToken);
                }, cancellationToken));
            });
            await Task.WhenAll(workers);
            clock.Stop();

            var (lost, duplicates) = SandboxTally.Revocations(sandbox, targets);
            return new ScaleOutRunResult(instances, shared, throttle.WriteLimit, throttle.TimeScale, concurrency, targets, clock.Elapsed.TotalSeconds,
                SandboxTally.SustainedRevocationsPerSecond(sandbox), sandbox.Throttled, sandbox.Requests.Count, lost, duplicates,
                bus.DeadLettered, bus.FollowUps, bus.Abandoned, hosts.All(h => h.LedgerRegistered));
        }
        finally
        {
            if (hosts.Count > 0 && hosts[0].Services.GetService<TableServiceClient>() is { } storage)
            {
                try
                {
                    await storage.DeleteTableAsync(table, CancellationToken.None);
                }
                catch (Azure.RequestFailedException)
                {
                    // Azurite went away: nothing left to clean.
                }
            }
            foreach (var host in hosts)
                await host.DisposeAsync();
        }
    }
}
