using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using RevokeFunctions.Benchmarks.Harness;
using RevokeFunctions.Benchmarks.Reporting;

namespace RevokeFunctions.Benchmarks.Parsing;

/// <summary>
/// Runs <see cref="PayloadParsingBenchmarks"/> with BenchmarkDotNet in this process (the in-process toolchain: no
/// generated project to build, the same Release build that the load scenarios use), one thread, so the mean is the
/// cost on one core.
/// </summary>
internal static class ParsingRun
{
    public static List<ParsingResult> Run()
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(12)
            .WithId("in-process");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(Path.Combine(RepositoryPaths.Artifacts, "parsing"));

        var summary = BenchmarkRunner.Run<PayloadParsingBenchmarks>(config);
        var results = new List<ParsingResult>();
        foreach (var report in summary.Reports)
        {
            var format = (string)report.BenchmarkCase.Parameters["Format"];
            var mean = report.ResultStatistics?.Mean ?? double.NaN;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            results.Add(new ParsingResult(format, PayloadSamples.FileOf(format), PayloadSamples.Read(format).Length, mean, allocated));
        }
        return results;
    }
}
