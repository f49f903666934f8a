using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Reporting;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Guards;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: a mass incident drained end to end through the queue handler. Half the targets come as one Sentinel
/// incident split into parts of <c>Guards:MaxTargets</c> accounts (the cap refuses larger payloads whole), the other
/// half as one message each: native requests and HR leavers. <c>concurrency</c> messages are handled at once, as
/// the host's maxConcurrentCalls would; Graph is throttled as in scenario 3.
/// </summary>
internal static class MassIncidentScenario
{
    public static async Task<MassRunResult> RunAsync(ThrottleSettings throttle, int targets, int concurrency, CancellationToken cancellationToken)
    {
        await using var sandbox = await GraphSandboxServer.StartAsync(BenchTenant.Create(targets), throttle.SandboxOptions(), cancellationToken);
        var bus = new InMemoryServiceBus(throttle.TimeScale);
        await using var host = PipelineHost.Start(sandbox.BaseUrl, throttle.LimiterSettings(), services =>
        {
            services.AddSingleton<IRevocationQueue>(bus);
            services.AddSingleton<IStormGuard, AdmittingStormGuard>();
        });
        var handler = host.Services.GetRequiredService<RevocationQueueHandler>();
        var cap = host.Services.GetRequiredService<IOptions<GuardOptions>>().Value.MaxTargets;

        var messages = Submit(bus, targets, cap);
        var drain = VerificationDrain.Start(host.Services);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var message in bus.Messages.ReadAllAsync(cancellationToken))
                await handler.HandleAsync(message, bus, cancellationToken);
        }, cancellationToken));
        await Task.WhenAll(workers);
        clock.Stop();
        if (drain is not null)
        {
            await drain.DisposeAsync();
            Console.WriteLine($"   verification on: {drain.Verified} verified, {drain.Unverified} unverified within the run (the rest are due after it)");
        }
        else
        {
            Console.WriteLine("   verification off");
        }

        var (lost, duplicates) = SandboxTally.Revocations(sandbox, targets);
        return new MassRunResult(throttle.WriteLimit, throttle.TimeScale, (int)throttle.Latency.TotalMilliseconds, concurrency, cap, targets, messages, clock.Elapsed.TotalSeconds,
            sandbox.Throttled, sandbox.Requests.Count, lost, duplicates, bus.DeadLettered, bus.FollowUps, bus.Abandoned,
            Measurement.PeakWorkingSet(), host.LedgerRegistered);
    }

    private static int Submit(InMemoryServiceBus bus, int targets, int cap)
    {
        var now = DateTimeOffset.UtcNow;
        var incidentTargets = targets / 2;
        var messages = 0;
        for (int first = 0, part = 1; first < incidentTargets; first += cap, part++, messages++)
        {
            var count = Math.Min(cap, incidentTargets - first);
            bus.Submit(BenchPayloads.SentinelIncidentPart(9001, part, first, count, now), $"incident-9001-part-{part.ToString(CultureInfo.InvariantCulture)}");
        }
        for (var user = incidentTargets; user < targets; user++, messages++)
        {
            var body = user % 2 == 0 ? BenchPayloads.NativeRequest(user) : BenchPayloads.HrLeaver(user, now.AddHours(-1));
            bus.Submit(body, Guid.NewGuid().ToString("D"));
        }
        return messages;
    }
}
