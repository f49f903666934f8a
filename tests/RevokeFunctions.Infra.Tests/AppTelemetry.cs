using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// What the app emits, read from its source: the metrics of <c>RevocationMetrics</c> with the tag names each one is
/// recorded with, and every <c>[LoggerMessage(EventId = …, Message = …)]</c> with the placeholders of its message (which
/// Application Insights stores as customDimensions). A KQL query is checked against it: every metric name, EventId and
/// dimension it names must be one the app emits, so a rename on either side shows up here rather than as a blank panel.
/// </summary>
public sealed partial class AppTelemetry
{
    private AppTelemetry(IReadOnlyDictionary<string, IReadOnlySet<string>> metrics, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlySet<string>>> events)
    {
        Metrics = metrics;
        Events = events;
    }

    /// <summary>Metric name to the tag names it is recorded with.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Metrics { get; }

    /// <summary>EventId to the placeholder sets of every log message with that ID (an ID may be used in two classes).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlySet<string>>> Events { get; }

    public static AppTelemetry FromSource(string sourceRoot)
    {
        var metricsFile = File.ReadAllText(Path.Combine(sourceRoot, "RevokeFunctions.Core", "Telemetry", "RevocationMetrics.cs"));
        var names = InstrumentDeclaration().Matches(metricsFile).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var metrics = names.Values.ToDictionary(n => n, _ => (IReadOnlySet<string>)new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (Match use in InstrumentUse().Matches(metricsFile))
        {
            if (!names.TryGetValue(use.Groups[1].Value, out var name))
                continue;
            foreach (Match tag in TagName().Matches(use.Groups[2].Value))
                ((HashSet<string>)metrics[name]).Add(tag.Groups[1].Value);
        }

        var events = new Dictionary<string, List<IReadOnlySet<string>>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                continue;
            var text = File.ReadAllText(file);
            foreach (Match attribute in LoggerMessageAttribute().Matches(text))
            {
                var message = MessageAfter(text, attribute.Index + attribute.Length);
                var placeholders = Placeholder().Matches(message).Select(p => p.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
                if (!events.TryGetValue(attribute.Groups[1].Value, out var list))
                    events[attribute.Groups[1].Value] = list = [];
                list.Add(placeholders);
            }
        }
        return new AppTelemetry(metrics, events.ToDictionary(e => e.Key, e => (IReadOnlyList<IReadOnlySet<string>>)e.Value, StringComparer.Ordinal));
    }

    /// <summary>Every name in the query that the app does not emit, as a sentence; empty when the query is sound.</summary>
    public IReadOnlyList<string> Problems(string kql)
    {
        var problems = new List<string>();
        var query = Parse(kql);
        var allowedDimensions = new HashSet<string>(StringComparer.Ordinal);

        if (query.ReadsMetrics)
        {
            if (query.MetricNames.Count == 0)
                problems.Add("reads customMetrics without naming a metric");
            foreach (var name in query.MetricNames)
            {
                if (Metrics.TryGetValue(name, out var tags))
                    allowedDimensions.UnionWith(tags);
                else
                    problems.Add($"metric '{name}' is not emitted by the app (RevocationMetrics: {string.Join(", ", Metrics.Keys)})");
            }
        }
        if (query.ReadsLogs)
        {
            if (query.EventIds.Count == 0)
                problems.Add("reads traces without naming a log EventId");
            foreach (var id in query.EventIds)
            {
                if (Events.TryGetValue(id, out var messages))
                    foreach (var placeholders in messages)
                        allowedDimensions.UnionWith(placeholders);
                else
                    problems.Add($"EventId {id} is not logged by the app");
            }
        }
        if (!query.ReadsMetrics && !query.ReadsLogs)
            problems.Add("reads neither customMetrics nor traces");

        foreach (var dimension in query.Dimensions.Where(d => !allowedDimensions.Contains(d)))
            problems.Add($"dimension '{dimension}' is not recorded with the metrics or events the query reads");
        return problems;
    }

    public static ParsedQuery Parse(string kql)
    {
        var metricNames = MetricEquals().Matches(kql).Select(m => m.Groups[1].Value)
            .Concat(MetricIn().Matches(kql).SelectMany(m => Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)))
            .ToHashSet(StringComparer.Ordinal);
        var eventIds = EventIdEquals().Matches(kql).Select(m => m.Groups[1].Value)
            .Concat(EventIdIn().Matches(kql).SelectMany(m => Quoted().Matches(m.Groups[1].Value).Select(q => q.Groups[1].Value)))
            .ToHashSet(StringComparer.Ordinal);
        var dimensions = Dimension().Matches(kql).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Where(d => d != "EventId")
            .ToHashSet(StringComparer.Ordinal);
        return new ParsedQuery(
            ReadsMetrics: Regex.IsMatch(kql, @"\bcustomMetrics\b"),
            ReadsLogs: Regex.IsMatch(kql, @"\btraces\b"),
            metricNames, eventIds, dimensions);
    }

    /// <summary>The concatenated string literals after <c>Message =</c>, up to the end of the attribute.</summary>
    private static string MessageAfter(string text, int start)
    {
        var message = MessageStart().Match(text, start);
        if (!message.Success)
            return string.Empty;
        var parts = new List<string>();
        var position = message.Index + message.Length;
        while (true)
        {
            var literal = StringLiteral().Match(text, position);
            if (!literal.Success || literal.Index != position)
                break;
            parts.Add(literal.Groups[1].Value);
            position = literal.Index + literal.Length;
            var plus = Plus().Match(text, position);
            if (!plus.Success || plus.Index != position)
                break;
            position = plus.Index + plus.Length;
        }
        return string.Concat(parts);
    }

    public sealed record ParsedQuery(bool ReadsMetrics, bool ReadsLogs, IReadOnlySet<string> MetricNames, IReadOnlySet<string> EventIds, IReadOnlySet<string> Dimensions);

    [GeneratedRegex(@"(\w+)\s*=\s*meter\.Create(?:Counter|Histogram|UpDownCounter|Gauge)<\w+>\(\s*""([^""]+)""")]
    private static partial Regex InstrumentDeclaration();

    [GeneratedRegex(@"(\w+)\.(?:Add|Record)\(([^;]*)\);")]
    private static partial Regex InstrumentUse();

    [GeneratedRegex(@"\(\s*""([^""]+)""\s*,")]
    private static partial Regex TagName();

    [GeneratedRegex(@"\[LoggerMessage\(\s*EventId\s*=\s*(\d+)")]
    private static partial Regex LoggerMessageAttribute();

    [GeneratedRegex(@"\bMessage\s*=\s*")]
    private static partial Regex MessageStart();

    [GeneratedRegex(@"\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\s*\+\s*")]
    private static partial Regex Plus();

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\bname\s*==\s*""([^""]+)""")]
    private static partial Regex MetricEquals();

    [GeneratedRegex(@"\bname\s+in\s*\(([^)]*)\)")]
    private static partial Regex MetricIn();

    [GeneratedRegex(@"customDimensions\.EventId\)?\s*==\s*""(\d+)""")]
    private static partial Regex EventIdEquals();

    [GeneratedRegex(@"customDimensions\.EventId\)?\s+in\s*\(([^)]*)\)")]
    private static partial Regex EventIdIn();

    [GeneratedRegex(@"""([^""]*)""")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"customDimensions(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*[""']([^""']+)[""']\s*\])")]
    private static partial Regex Dimension();
}
