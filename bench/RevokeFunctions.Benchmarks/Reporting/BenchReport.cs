namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>Everything one invocation measured, for <see cref="MarkdownReport"/>.</summary>
internal sealed class BenchReport(BenchPlan plan, string commandLine)
{
    public BenchPlan Plan { get; } = plan;

    public string CommandLine { get; } = commandLine;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Duration { get; set; }

    public string? AzuriteStatus { get; set; }

    public string LoadBefore { get; set; } = "";

    public string LoadAfter { get; set; } = "";

    public List<ParsingResult>? Parsing { get; set; }

    public List<LoadRunResult> Pipeline { get; } = [];

    public ThrottledRunResult? Throttled { get; set; }

    public MassRunResult? Mass { get; set; }

    public List<ScaleOutRunResult> ScaleOut { get; } = [];
}
