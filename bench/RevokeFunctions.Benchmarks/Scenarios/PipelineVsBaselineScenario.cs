using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Reporting;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2, one side of one comparison, each target a one-user request, <c>concurrency</c> at a time, against a
/// sandbox answering after <c>latency</c>. The sides, from the whole app down to the bare calls:
/// <list type="bullet">
/// <item><c>pipeline</c>: parse → resolve → decide → revoke, ledger on Azurite, through the app's composition;</item>
/// <item><c>pipeline-no-ledger</c>: the same without a ledger configured (a diagnostic: what the ledger costs);</item>
/// <item><c>graph-sdk</c>: only the pipeline's two Graph calls through the app's GraphServiceClient (a diagnostic);</item>
/// <item><c>baseline</c>: the same two calls with a plain HttpClient (<see cref="BaselineRevoker"/>).</item>
/// </list>
/// </summary>
internal static class PipelineVsBaselineScenario
{
    public const string Pipeline = "pipeline";
    public const string PipelineWithoutLedger = "pipeline-no-ledger";
    public const string GraphSdk = "graph-sdk";
    public const string Baseline = "baseline";

    public static readonly IReadOnlyList<string> Variants = [Pipeline, PipelineWithoutLedger, GraphSdk, Baseline];

    private const int Warmup = 200;

    private static readonly string[] Select = ["id", "userPrincipalName", "userType", "accountEnabled", "signInSessionsValidFromDateTime"];

    public static async Task<LoadRunResult> RunAsync(string variant, int latencyMilliseconds, int targets, int concurrency, CancellationToken cancellationToken)
    {
        if (!Variants.Contains(variant))
            throw new ArgumentException($"Unknown side `{variant}`; use one of {string.Join(", ", Variants)}.", nameof(variant));
        var tenant = BenchTenant.Create(Warmup + targets);
        await using var sandbox = await GraphSandboxServer.StartAsync(tenant,
            new GraphSandboxOptions { Latency = TimeSpan.FromMilliseconds(latencyMilliseconds) }, cancellationToken);

        PipelineHost? host = null;
        BaselineRevoker? baseline = null;
        Func<int, CancellationToken, Task<bool>> revokeOne;
        switch (variant)
        {
            case Pipeline or PipelineWithoutLedger:
                var settings = UnthrottledSettings.Create();
                if (variant == PipelineWithoutLedger)
                    settings["Ledger:connectionString"] = null;
                host = PipelineHost.Start(sandbox.BaseUrl, settings);
                var pipeline = host.Pipeline;
                var payloads = Enumerable.Range(0, Warmup + targets).Select(BenchPayloads.NativeRequest).ToArray();
                revokeOne = async (user, ct) =>
                {
                    var result = await pipeline.ProcessAsync(payloads[user], BenchContext.Create(), ct);
                    return result.Targets is [{ Outcome: Outcome.Revoked }];
                };
                break;
            case GraphSdk:
                host = PipelineHost.Start(sandbox.BaseUrl, UnthrottledSettings.Create());
                var graph = host.Services.GetRequiredService<GraphServiceClient>();
                revokeOne = async (user, ct) =>
                {
                    var found = await graph.Users[BenchTenant.UserPrincipalName(user)].GetAsync(r => r.QueryParameters.Select = Select, ct);
                    await graph.Users[found!.Id].RevokeSignInSessions.PostAsRevokeSignInSessionsPostResponseAsync(cancellationToken: ct);
                    return true;
                };
                break;
            default:
                baseline = new BaselineRevoker(sandbox.BaseUrl);
                revokeOne = (user, ct) => baseline.RevokeAsync(BenchTenant.UserPrincipalName(user), ct);
                break;
        }

        try
        {
            // Warm-up: JIT, connection pools, the ledger's table; not measured.
            await DriveAsync(0, Warmup, concurrency, revokeOne, null, cancellationToken);

            var latencies = new LatencyRecorder(targets);
            var allocatedBefore = Measurement.AllocatedBytes();
            var cpu = new CpuMeter();
            var clock = Stopwatch.StartNew();
            var succeeded = await DriveAsync(Warmup, targets, concurrency, revokeOne, latencies, cancellationToken);
            clock.Stop();
            var allocated = Measurement.AllocatedBytes() - allocatedBefore;
            var (processCpu, azuriteCpu) = cpu.Elapsed();

            if (sandbox.TotalRevocations != Warmup + targets)
                Console.Error.WriteLine($"warning: the sandbox counted {sandbox.TotalRevocations} revocations, expected {Warmup + targets}");
            return new LoadRunResult(variant, latencyMilliseconds, concurrency, targets, succeeded, clock.Elapsed.TotalSeconds,
                latencies.Percentile(50), latencies.Percentile(99), Measurement.PeakWorkingSet(), allocated / targets,
                processCpu.TotalMilliseconds / targets, azuriteCpu?.TotalMilliseconds / targets, variant == Pipeline && host!.LedgerRegistered);
        }
        finally
        {
            baseline?.Dispose();
            if (host is not null)
                await host.DisposeAsync();
        }
    }

    private static async Task<int> DriveAsync(int first, int count, int concurrency, Func<int, CancellationToken, Task<bool>> revokeOne,
        LatencyRecorder? latencies, CancellationToken cancellationToken)
    {
        var succeeded = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(first, count), options, async (user, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            var ok = await revokeOne(user, ct);
            latencies?.Add(started);
            if (ok)
                Interlocked.Increment(ref succeeded);
        });
        return succeeded;
    }
}
