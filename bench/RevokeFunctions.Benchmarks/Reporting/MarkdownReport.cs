using System.Globalization;
using System.Text;

namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>The report as Markdown tables, each figure beside its target; docs/benchmarks.md quotes it.</summary>
internal static class MarkdownReport
{
    private const double MiB = 1024 * 1024;

    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        var plan = report.Plan;
        Line(md, $"## Run of {report.StartedAt:yyyy-MM-dd HH:mm} UTC ({report.Duration.TotalMinutes:F1} min)");
        Line(md);
        Line(md, $"- Command: `{report.CommandLine}`");
        Line(md, $"- Machine: {MachineInfo.Describe()}");
        Line(md, $"- Load average (1/5/15 min) before: {report.LoadBefore}; after: {report.LoadAfter}");
        Line(md, $"- Concurrency: {plan.Concurrency} requests or messages at once ({plan.ConcurrencySource})");
        if (report.AzuriteStatus is not null)
            Line(md, $"- Ledger store: {report.AzuriteStatus}");
        Line(md);

        if (report.Parsing is { } parsing)
            Parsing(md, parsing);
        if (report.Pipeline.Count > 0)
            Pipeline(md, report.Pipeline, plan);
        if (report.Throttled is { } throttled)
            Throttled(md, throttled);
        if (report.Mass is { } mass)
            Mass(md, mass);
        if (report.ScaleOut.Count > 0)
            ScaleOut(md, report.ScaleOut);
        return md.ToString();
    }

    private static void Parsing(StringBuilder md, List<ParsingResult> results)
    {
        Line(md, "### 1. Parsing (BenchmarkDotNet, one thread)");
        Line(md);
        Line(md, "| format | sample | bytes | mean | payloads/s on one core | allocated per payload | target ≥ 20,000/s |");
        Line(md, "|---|---|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            Line(md, $"| {r.Format} | `{r.File}` | {r.Bytes:N0} | {r.MeanNanoseconds / 1000:F2} µs | {r.PayloadsPerSecond:N0} | "
                + $"{r.AllocatedBytes:N0} B | {(r.Format.Contains("-60", StringComparison.Ordinal) ? "— (size case, not a format)" : Verdict(r.PayloadsPerSecond >= 20_000))} |");
        }
        Line(md);
    }

    private static void Pipeline(StringBuilder md, List<LoadRunResult> runs, BenchPlan plan)
    {
        Line(md, "### 2. Pipeline vs baseline (Graph sandbox, one-user requests)");
        Line(md);
        Line(md, $"{plan.Rounds} round(s) per side and latency, each in a fresh process, sides in rotating order; the table gives the "
            + "median round (throughput and its latencies) and the largest peak working set. `pipeline` is the whole app with the ledger "
            + $"on Azurite ({(runs.Any(r => r.LedgerRegistered) ? "registered" : "**not registered** in this build")}); "
            + "`pipeline-no-ledger` and `graph-sdk` are diagnostics that split the gap: the app without a ledger configured, and only "
            + "its two Graph calls through its GraphServiceClient. `baseline` makes the same two calls with a plain HttpClient.");
        Line(md);
        Line(md, "| sandbox latency | side | targets per round | targets/s (each round) | p50 | p99 | peak working set | allocated per target | CPU per target: process + Azurite | failed |");
        Line(md, "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var latency in runs.Select(r => r.LatencyMilliseconds).Distinct().Order())
        {
            foreach (var variant in Scenarios.PipelineVsBaselineScenario.Variants)
            {
                var rounds = runs.Where(r => r.LatencyMilliseconds == latency && r.Variant == variant).ToList();
                if (rounds.Count == 0)
                    continue;
                var median = Median(rounds);
                Line(md, $"| {latency} ms | {variant} | {median.Targets:N0} | **{median.TargetsPerSecond:N0}** "
                    + $"({string.Join(", ", rounds.Select(r => r.TargetsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))}) | "
                    + $"{median.P50Milliseconds:F1} ms | {median.P99Milliseconds:F1} ms | {rounds.Max(r => r.PeakWorkingSetBytes) / MiB:F0} MiB | "
                    + $"{median.AllocatedBytesPerTarget / 1024.0:F1} KiB | {median.CpuMillisecondsPerTarget:F2} + {median.AzuriteCpuMillisecondsPerTarget ?? 0:F2} ms | "
                    + $"{rounds.Sum(r => r.Targets - r.Succeeded)} |");
            }
        }
        Line(md);
        Line(md, "| sandbox latency | pipeline ÷ baseline | target | verdict | diagnostics: pipeline-no-ledger ÷ baseline, graph-sdk ÷ baseline |");
        Line(md, "|---:|---:|---:|---|---|");
        foreach (var (latency, target) in new[] { (0, 0.7), (50, 0.95) })
        {
            var baseline = MedianRate(runs, latency, Scenarios.PipelineVsBaselineScenario.Baseline);
            var pipeline = MedianRate(runs, latency, Scenarios.PipelineVsBaselineScenario.Pipeline);
            if (baseline is not { } b || pipeline is not { } p)
                continue;
            var noLedger = MedianRate(runs, latency, Scenarios.PipelineVsBaselineScenario.PipelineWithoutLedger) / b;
            var sdk = MedianRate(runs, latency, Scenarios.PipelineVsBaselineScenario.GraphSdk) / b;
            Line(md, $"| {latency} ms | **{p / b:F2}×** | ≥ {target:F2}× | {Verdict(p / b >= target)} | {noLedger:F2}×, {sdk:F2}× |");
        }
        Line(md);
    }

    private static double? MedianRate(List<LoadRunResult> runs, int latency, string variant)
    {
        var rounds = runs.Where(r => r.LatencyMilliseconds == latency && r.Variant == variant).ToList();
        return rounds.Count == 0 ? null : Median(rounds).TargetsPerSecond;
    }

    private static void Throttled(StringBuilder md, ThrottledRunResult r)
    {
        Line(md, "### 3. Throttled (sandbox enforces Graph's write and resource-unit limits)");
        Line(md);
        Line(md, $"N = {r.WriteLimit} writes per second and {r.ResourceUnitLimit:N0} resource units per 10 s, time scale {r.TimeScale} "
            + $"(so N = {r.EffectiveLimit:F0} writes per real second); {r.Targets:N0} one-user requests, {r.Concurrency} at a time; "
            + $"limiter set to the same limits with a burst of 1 write. Ledger registered: {(r.LedgerRegistered ? "yes" : "**no**")}.");
        Line(md);
        Line(md, "| figure | value | target | verdict |");
        Line(md, "|---|---:|---:|---|");
        Line(md, $"| sustained revocations/s ÷ N | **{r.SustainedRatio:F3}** ({r.SustainedPerSecond:F1}/s) | ≥ 0.9 | {Verdict(r.SustainedRatio >= 0.9)} |");
        Line(md, $"| 429s received | **{r.Throttled}** of {r.GraphCalls:N0} Graph calls ({r.ThrottledPercent:F2} %) | < 5 % | {Verdict(r.ThrottledPercent < 5)} |");
        Line(md, $"| requests lost (never revoked) | **{r.Lost}** | 0 | {Verdict(r.Lost == 0)} |");
        Line(md, $"| revoked twice | {r.Duplicates} | 0 | {Verdict(r.Duplicates == 0)} |");
        Line(md, $"| targets not `Revoked` | {r.FailedOutcomes} | — | |");
        Line(md, $"| wall time | {r.Seconds:F1} s | — | |");
        Line(md, $"| peak working set | {r.PeakWorkingSetBytes / MiB:F0} MiB | — | |");
        Line(md);
    }

    private static void Mass(StringBuilder md, MassRunResult r)
    {
        Line(md, "### 4. Mass incident through the queue handler");
        Line(md);
        Line(md, $"{r.Targets:N0} targets in {r.Messages:N0} messages: one Sentinel incident split into parts of {r.MaxTargetsPerPayload} "
            + $"accounts (Guards:MaxTargets) for half of them, one native request or HR leaver per message for the rest; {r.Concurrency} "
            + $"messages at once; N = {r.WriteLimit} writes/s at time scale {r.TimeScale} ({r.WriteLimit / r.TimeScale:F0} writes per real second); "
            + $"sandbox latency {r.LatencyMilliseconds} ms. "
            + $"Ledger registered: {(r.LedgerRegistered ? "yes" : "**no**")}.");
        Line(md);
        Line(md, "| figure | value | target | verdict |");
        Line(md, "|---|---:|---:|---|");
        Line(md, $"| total time ÷ (targets ÷ N) | **{r.RatioToIdeal:F3}** ({r.Seconds:F1} s vs {r.IdealSeconds:F1} s) | ≤ 1.15 | {Verdict(r.RatioToIdeal <= 1.15)} |");
        Line(md, $"| peak working set | **{r.PeakWorkingSetBytes / MiB:F0} MiB** (sandbox included) | < 250 MB | {Verdict(r.PeakWorkingSetBytes < 250_000_000)} |");
        Line(md, $"| targets lost (never revoked) | **{r.Lost}** | 0 | {Verdict(r.Lost == 0)} |");
        Line(md, $"| revoked twice | {r.Duplicates} | 0 | {Verdict(r.Duplicates == 0)} |");
        Line(md, $"| 429s received | {r.Throttled} of {r.GraphCalls:N0} Graph calls | — | |");
        Line(md, $"| dead-lettered / follow-up messages / abandoned | {r.DeadLettered} / {r.FollowUps} / {r.Abandoned} | — | |");
        Line(md);
    }

    private static void ScaleOut(StringBuilder md, List<ScaleOutRunResult> runs)
    {
        var first = runs[0];
        Line(md, "### 5. Scale-out: k instances, one backlog, one Graph");
        Line(md);
        Line(md, $"One-target messages (native requests and HR leavers), {first.Concurrency} at a time per instance; N = {first.WriteLimit} writes/s "
            + $"at time scale {first.TimeScale} ({first.EffectiveLimit:F0} writes per real second); every instance's limiter set to the whole "
            + $"quota; ledger registered: {(runs.All(r => r.LedgerRegistered) ? "yes" : "**no**")}.");
        Line(md);
        Line(md, "| k | budget | targets | sustained ÷ N | 429s (share of Graph calls) | total time ÷ ideal | lost | revoked twice | dead-lettered / follow-ups / abandoned |");
        Line(md, "|---:|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in runs)
        {
            Line(md, $"| {r.Instances} | {(r.SharedBudget ? "shared" : "each whole")} | {r.Targets:N0} | **{r.SustainedRatio:F3}** | {r.Throttled} of {r.GraphCalls:N0} "
                + $"({r.ThrottledPercent:F2} %) | {r.RatioToIdeal:F3} | {r.Lost} | {r.Duplicates} | {r.DeadLettered} / {r.FollowUps} / {r.Abandoned} |");
        }
        Line(md);
    }

    private static LoadRunResult Median(List<LoadRunResult> rounds) =>
        rounds.OrderBy(r => r.TargetsPerSecond).ElementAt(rounds.Count / 2);

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    // The project builds with invariant globalization, so interpolated figures are culture-neutral.
    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
