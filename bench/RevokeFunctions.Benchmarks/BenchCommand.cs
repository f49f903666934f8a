using System.Diagnostics;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Parsing;
using RevokeFunctions.Benchmarks.Reporting;
using RevokeFunctions.Benchmarks.Scenarios;

namespace RevokeFunctions.Benchmarks;

/// <summary>
/// <c>all</c> or a comma-separated list of <c>parsing</c>, <c>pipeline</c>, <c>throttled</c>, <c>mass</c>: each
/// scenario runs in a process of its own (<c>run</c>), and the figures come back as one Markdown report.
/// </summary>
internal static class BenchCommand
{
    private static readonly string[] Scenarios = ["parsing", "pipeline", "throttled", "mass", "scaleout"];

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                Console.WriteLine(Usage);
                return args.Length == 0 ? 64 : 0;
            }
            if (args[0] == "answer")
                return await AnswerLatencyScenario.RunAsync(BenchArguments.Parse(args, 1), cancel.Token);
            if (args[0] == "run" && args.Length >= 2)
                return await RunScenarioAsync(args[1], BenchArguments.Parse(args, 2), cancel.Token);

            var selected = args[0] == "all" ? Scenarios : args[0].Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (selected.Length == 0 || selected.Any(s => !Scenarios.Contains(s)))
            {
                Console.Error.WriteLine($"Unknown scenario in `{args[0]}`.");
                Console.Error.WriteLine(Usage);
                return 64;
            }
            var plan = BenchPlan.From(BenchArguments.Parse(args, 1));
            return await OrchestrateAsync(selected, plan, string.Join(' ', args), cancel.Token);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 64;
        }
    }

    private const string Usage = """
        Usage: dotnet run -c Release --project bench/RevokeFunctions.Benchmarks -- <all|parsing,pipeline,throttled,mass,scaleout> [options]
          --concurrency C         requests or messages at once (default: host.json serviceBus.maxConcurrentCalls, else 16)
          --rounds R              rounds per side and latency in the pipeline scenario (3)
          --targets-0ms T         targets per round at 0 ms sandbox latency (3000)
          --targets-50ms T        targets per round at 50 ms sandbox latency (400)
          --write-limit N         Graph writes per second the sandbox allows (20)
          --resource-units R      Graph resource units per 10 s the sandbox allows (3500)
          --throttled-scale S     time scale of the throttled scenario; 0.5 halves every window (1)
          --throttled-seconds D   seconds of revoking at the limit in the throttled scenario (30)
          --mass-scale S          time scale of the mass incident (0.5)
          --mass-latency MS       sandbox latency in the mass incident (0)
          --mass-targets T        targets in the mass incident (10000)
          --scale-instances K,... instance counts of the scale-out scenario (1,4,16)
          --scale-scale S         time scale of the scale-out scenario (0.5)
          --scale-seconds D       seconds of revoking at N per instance count in the scale-out scenario (60)
          --scale-budget B        shared (the app's), each (every instance the whole quota, as before) or both (shared)
        Writes the report to BenchmarkDotNet.Artifacts/results.md and prints it.
        Or: ... -- answer [--requests 300] [--rounds 3] [--concurrency 4] [--arm-latency 100]
          the HTTP answer's p50/p99 with write-back off (baseline) and on, in one process; prints its own table.
        """;

    private static async Task<int> OrchestrateAsync(string[] selected, BenchPlan plan, string arguments, CancellationToken cancellationToken)
    {
        var report = new BenchReport(plan, "dotnet run -c Release --project bench/RevokeFunctions.Benchmarks -- " + arguments)
        {
            LoadBefore = MachineInfo.LoadAverage(),
        };
        var clock = Stopwatch.StartNew();
        using var azurite = selected.Any(s => s != "parsing") ? await AzuriteLauncher.EnsureAsync(cancellationToken) : null;
        report.AzuriteStatus = azurite?.Status;
        var concurrency = plan.Concurrency.ToString(Invariant);

        if (selected.Contains("parsing"))
        {
            Announce("1. parsing (BenchmarkDotNet)");
            report.Parsing = await ScenarioProcess.RunAsync(["parsing"], BenchJsonContext.Default.ListParsingResult, cancellationToken);
        }
        if (selected.Contains("pipeline"))
        {
            foreach (var (latency, targets) in new[] { (0, plan.TargetsAtZeroLatency), (50, plan.TargetsAtFiftyMilliseconds) })
            {
                for (var round = 1; round <= plan.Rounds; round++)
                {
                    // Rotate which side goes first, so a slow spell on the shared CPU does not always hit one side.
                    var variants = PipelineVsBaselineScenario.Variants;
                    foreach (var variant in variants.Skip(round % variants.Count).Concat(variants.Take(round % variants.Count)))
                    {
                        Announce($"2. {variant} at {latency} ms, round {round} of {plan.Rounds}");
                        report.Pipeline.Add(await ScenarioProcess.RunAsync(
                            ["pipeline", "--variant", variant, "--latency", latency.ToString(Invariant), "--targets", targets.ToString(Invariant),
                                "--concurrency", concurrency],
                            BenchJsonContext.Default.LoadRunResult, cancellationToken));
                    }
                }
            }
        }
        if (selected.Contains("throttled"))
        {
            Announce("3. throttled");
            report.Throttled = await ScenarioProcess.RunAsync(
                ["throttled", "--write-limit", plan.WriteLimit.ToString(Invariant), "--resource-units", plan.ResourceUnitLimit.ToString(Invariant),
                    "--scale", plan.ThrottledTimeScale.ToString(Invariant), "--seconds", plan.ThrottledSeconds.ToString(Invariant), "--concurrency", concurrency],
                BenchJsonContext.Default.ThrottledRunResult, cancellationToken);
        }
        if (selected.Contains("mass"))
        {
            Announce("4. mass incident");
            report.Mass = await ScenarioProcess.RunAsync(
                ["mass", "--write-limit", plan.WriteLimit.ToString(Invariant), "--resource-units", plan.ResourceUnitLimit.ToString(Invariant),
                    "--scale", plan.MassTimeScale.ToString(Invariant), "--latency", plan.MassLatencyMilliseconds.ToString(Invariant), "--targets", plan.MassTargets.ToString(Invariant), "--concurrency", concurrency],
                BenchJsonContext.Default.MassRunResult, cancellationToken);
        }

        if (selected.Contains("scaleout"))
        {
            string[] budgets = plan.ScaleBudget == "both" ? ["each", "shared"] : [plan.ScaleBudget];
            foreach (var k in plan.ScaleInstances)
            {
                foreach (var budget in budgets)
                {
                    Announce($"5. scale-out, {k} instance(s), budget {budget}");
                    report.ScaleOut.Add(await ScenarioProcess.RunAsync(
                        ["scaleout", "--instances", k.ToString(Invariant), "--budget", budget, "--write-limit", plan.WriteLimit.ToString(Invariant),
                            "--resource-units", plan.ResourceUnitLimit.ToString(Invariant), "--scale", plan.ScaleTimeScale.ToString(Invariant),
                            "--seconds", plan.ScaleSeconds.ToString(Invariant), "--concurrency", concurrency],
                        BenchJsonContext.Default.ScaleOutRunResult, cancellationToken));
                }
            }
        }

        report.Duration = clock.Elapsed;
        report.LoadAfter = MachineInfo.LoadAverage();
        var markdown = MarkdownReport.Render(report);
        Directory.CreateDirectory(RepositoryPaths.Artifacts);
        var path = Path.Combine(RepositoryPaths.Artifacts, "results.md");
        await File.WriteAllTextAsync(path, markdown, cancellationToken);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Report written to {path}");
        return 0;
    }

    private static async Task<int> RunScenarioAsync(string scenario, BenchArguments arguments, CancellationToken cancellationToken)
    {
        var result = arguments.Text("result") ?? throw new ArgumentException("run needs --result <file>.");
        var concurrency = arguments.Int("concurrency", HostConcurrency.Fallback);
        var throttle = new ThrottleSettings(arguments.Int("write-limit", 20), arguments.Int("resource-units", 3_500), arguments.Double("scale", 1));
        switch (scenario)
        {
            case "parsing":
                await ScenarioProcess.WriteResultAsync(result, ParsingRun.Run(), BenchJsonContext.Default.ListParsingResult);
                return 0;
            case "pipeline":
                var run = await PipelineVsBaselineScenario.RunAsync(arguments.Text("variant") ?? PipelineVsBaselineScenario.Pipeline, arguments.Int("latency", 0),
                    arguments.Int("targets", 3_000), concurrency, cancellationToken);
                Console.WriteLine($"   {run.TargetsPerSecond:N0} targets/s, p50 {run.P50Milliseconds:F1} ms, p99 {run.P99Milliseconds:F1} ms");
                await ScenarioProcess.WriteResultAsync(result, run, BenchJsonContext.Default.LoadRunResult);
                return 0;
            case "throttled":
                var throttled = await ThrottledScenario.RunAsync(throttle, arguments.Double("seconds", 30), concurrency, cancellationToken);
                await ScenarioProcess.WriteResultAsync(result, throttled, BenchJsonContext.Default.ThrottledRunResult);
                return 0;
            case "mass":
                var mass = await MassIncidentScenario.RunAsync(throttle with { Latency = TimeSpan.FromMilliseconds(arguments.Int("latency", 0)) }, arguments.Int("targets", 10_000), concurrency, cancellationToken);
                await ScenarioProcess.WriteResultAsync(result, mass, BenchJsonContext.Default.MassRunResult);
                return 0;
            case "scaleout":
                var budget = arguments.Text("budget") ?? "shared";
                if (budget is not ("shared" or "each"))
                    throw new ArgumentException($"--budget is shared or each, not `{budget}`.");
                var scaled = await ScaleOutScenario.RunAsync(throttle, arguments.Int("instances", 1), arguments.Double("seconds", 60), concurrency,
                    shared: budget == "shared", cancellationToken);
                Console.WriteLine($"   {scaled.Instances} instance(s): {scaled.SustainedRatio:F3} N, {scaled.Throttled} 429s of {scaled.GraphCalls}, "
                    + $"{scaled.RatioToIdeal:F3}x ideal, lost {scaled.Lost}, twice {scaled.Duplicates}");
                await ScenarioProcess.WriteResultAsync(result, scaled, BenchJsonContext.Default.ScaleOutRunResult);
                return 0;
            default:
                throw new ArgumentException($"Unknown scenario `{scenario}`.");
        }
    }

    private static readonly IFormatProvider Invariant = System.Globalization.CultureInfo.InvariantCulture;

    private static void Announce(string what) => Console.WriteLine($"== {what}");
}
