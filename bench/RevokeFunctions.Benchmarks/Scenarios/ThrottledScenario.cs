using System.Diagnostics;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Reporting;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: one-user requests, <c>concurrency</c> at a time, enough for <c>seconds</c> of revoking at the limit,
/// against a sandbox that answers 429 + Retry-After beyond N writes per second and R resource units per ten seconds.
/// The app's own settings (SDK retries, back-off) are left at their defaults.
/// </summary>
internal static class ThrottledScenario
{
    public static async Task<ThrottledRunResult> RunAsync(ThrottleSettings throttle, double seconds, int concurrency, CancellationToken cancellationToken)
    {
        var targets = (int)Math.Round(throttle.WriteLimit / throttle.TimeScale * seconds);
        await using var sandbox = await GraphSandboxServer.StartAsync(BenchTenant.Create(targets), throttle.SandboxOptions(), cancellationToken);
        await using var host = PipelineHost.Start(sandbox.BaseUrl, throttle.LimiterSettings());
        var pipeline = host.Pipeline;
        var payloads = Enumerable.Range(0, targets).Select(BenchPayloads.NativeRequest).ToArray();

        var failed = 0;
        var drain = VerificationDrain.Start(host.Services);
        var clock = Stopwatch.StartNew();
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, targets), options, async (user, ct) =>
        {
            var result = await pipeline.ProcessAsync(payloads[user], BenchContext.Create(), ct);
            if (result.Targets is not [{ Outcome: Outcome.Revoked }])
                Interlocked.Increment(ref failed);
        });
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
        return new ThrottledRunResult(throttle.WriteLimit, throttle.ResourceUnitLimit, throttle.TimeScale, concurrency, targets,
            clock.Elapsed.TotalSeconds, SandboxTally.SustainedRevocationsPerSecond(sandbox), sandbox.Throttled, sandbox.Requests.Count,
            lost, duplicates, failed, Measurement.PeakWorkingSet(), host.LedgerRegistered);
    }
}
