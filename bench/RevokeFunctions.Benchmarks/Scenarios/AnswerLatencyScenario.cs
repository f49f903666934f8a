using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RevokeFunctions.App;
using RevokeFunctions.App.Http;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Reporting;
using RevokeFunctions.GraphSandbox;

namespace RevokeFunctions.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5, the HTTP answer with write-back on: one-user Sentinel incidents POSTed to the HTTP function (the app's
/// composition, ledger on Azurite, Graph sandbox at 0 ms), <c>concurrency</c> at a time. The sides, alternating in
/// rounds in one process: <c>write-back-off</c> (the baseline) and <c>write-back-on</c> (Sentinel comments and the
/// webhook on, against a stand-in for Azure Resource Manager that answers after <c>--arm-latency</c> ms). Prints the
/// answer's p50/p99 per side and the ratio to the baseline.
/// </summary>
internal static class AnswerLatencyScenario
{
    /// <summary>App Service Authentication's principal header for a playbook's identity holding <c>Revocations.Submit</c>.</summary>
    private static readonly string Principal = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
        """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11"},{"typ":"name","val":"SOC playbook"},{"typ":"roles","val":"Revocations.Submit"}]}"""));

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        var requests = arguments.Int("requests", 300);
        var rounds = arguments.Int("rounds", 3);
        var concurrency = arguments.Int("concurrency", 4);
        var armLatency = arguments.Int("arm-latency", 100);
        const int Warmup = 50;
        var load = MachineInfo.LoadAverage();
        using var azurite = await AzuriteLauncher.EnsureAsync(cancellationToken);

        var total = (Warmup + requests) * rounds * 2;
        await using var sandbox = await GraphSandboxServer.StartAsync(BenchTenant.Create(total), new GraphSandboxOptions(), cancellationToken);
        await using var arm = await StandIn.StartAsync(TimeSpan.FromMilliseconds(armLatency));

        var p50 = new Dictionary<string, List<double>> { ["write-back-off"] = [], ["write-back-on"] = [] };
        var p99 = new Dictionary<string, List<double>> { ["write-back-off"] = [], ["write-back-on"] = [] };
        var next = 0;
        for (var round = 0; round < rounds; round++)
        {
            var sides = round % 2 == 0 ? new[] { "write-back-off", "write-back-on" } : ["write-back-on", "write-back-off"];
            foreach (var side in sides)
            {
                var latencies = await RunSideAsync(side == "write-back-on", sandbox.BaseUrl, arm.BaseUrl, next, Warmup, requests, concurrency, cancellationToken);
                next += Warmup + requests;
                p50[side].Add(latencies.Percentile(50));
                p99[side].Add(latencies.Percentile(99));
                Console.Error.WriteLine($"round {round + 1} {side}: p50 {latencies.Percentile(50):0.0} ms, p99 {latencies.Percentile(99):0.0} ms");
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        var off = (P50: Median(p50["write-back-off"]), P99: Median(p99["write-back-off"]));
        var on = (P50: Median(p50["write-back-on"]), P99: Median(p99["write-back-on"]));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"""
            | side | p50 | p99 | p50 ratio | p99 ratio |
            | --- | --- | --- | --- | --- |
            | write-back-off (baseline) | {off.P50:0.0} ms | {off.P99:0.0} ms | 1.00 | 1.00 |
            | write-back-on | {on.P50:0.0} ms | {on.P99:0.0} ms | {on.P50 / off.P50:0.00} | {on.P99 / off.P99:0.00} |

            {requests} requests per side and round, {rounds} rounds (median), concurrency {concurrency}, ARM stand-in {armLatency} ms,
            ARM PUTs received {arm.Count}; load average before {load}, after {MachineInfo.LoadAverage()}.
            """));
        return 0;
    }

    private static async Task<LatencyRecorder> RunSideAsync(bool writeBack, Uri graph, Uri arm, int firstUser, int warmup, int count, int concurrency,
        CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..12];
        var values = UnthrottledSettings.Create();
        values["Graph:BaseUrl"] = graph.ToString();
        values["Azure:Credential"] = "Developer";
        // App Service Authentication is on in Azure: the principal header is trusted only then.
        values["WEBSITE_AUTH_ENABLED"] = "True";
        values["Ledger:connectionString"] = "UseDevelopmentStorage=true";
        values["Ledger:TableName"] = "benchanswer" + run;
        values["Guards:StormGuard:TableName"] = "benchanswerstorm" + run;
        values["Guards:StormGuard:MaxUsers"] = "500";
        values["Guards:StormGuard:Window"] = "00:00:01";
        if (writeBack)
        {
            values["WriteBack:SentinelComments"] = "true";
            values["WriteBack:ArmBaseUrl"] = arm.ToString();
            values["Notifications:Webhook:Enabled"] = "true";
            values["Notifications:Webhook:Url"] = new Uri(arm, "webhook").ToString();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Azure", LogLevel.Error).AddSimpleConsole());
        AppComposition.Configure(services, configuration);
        await using var provider = services.BuildServiceProvider();

        var created = DateTimeOffset.UtcNow;
        var payloads = Enumerable.Range(firstUser, warmup + count)
            .Select(user => BenchPayloads.SentinelIncidentPart(100_000 + user, 1, user, 1, created))
            .ToArray();
        await DriveAsync(provider, payloads[..warmup], concurrency, null, cancellationToken);
        var latencies = new LatencyRecorder(count);
        await DriveAsync(provider, payloads[warmup..], concurrency, latencies, cancellationToken);
        return latencies;
    }

    private static Task DriveAsync(IServiceProvider services, byte[][] payloads, int concurrency, LatencyRecorder? latencies, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(payloads, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (payload, ct) =>
            {
                var started = Stopwatch.GetTimestamp();
                var status = await PostAsync(services, payload, ct);
                latencies?.Add(started);
                if (status != 200)
                    Console.Error.WriteLine($"warning: answered {status}");
            });

    /// <summary>The HTTP function as the Functions host calls it, the answer written out as the host would.</summary>
    private static async Task<int> PostAsync(IServiceProvider services, byte[] body, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/revocations";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = Principal;
        context.Response.Body = new MemoryStream();
        var function = ActivatorUtilities.CreateInstance<SubmitRevocationFunction>(services);
        var result = await function.RunAsync(context.Request, cancellationToken);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return context.Response.StatusCode;
    }

    /// <summary>A local server answering every request 200 after a fixed delay: Azure Resource Manager and the webhook.</summary>
    private sealed class StandIn(WebApplication app) : IAsyncDisposable
    {
        private int count;

        public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

        public int Count => Volatile.Read(ref count);

        public static async Task<StandIn> StartAsync(TimeSpan latency)
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var server = new StandIn(app);
            app.Run(async context =>
            {
                Interlocked.Increment(ref server.count);
                await Task.Delay(latency, context.RequestAborted);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{}", context.RequestAborted);
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
