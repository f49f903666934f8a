using System.Globalization;

namespace RevokeFunctions.Benchmarks;

/// <summary><c>--name value</c> pairs after the command word; every one has a default that the report prints.</summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.OrdinalIgnoreCase);

    private BenchArguments()
    {
    }

    public static BenchArguments Parse(IReadOnlyList<string> args, int start)
    {
        var parsed = new BenchArguments();
        for (var i = start; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
                throw new ArgumentException($"Expected `--name value`, got `{args[i]}`.");
            parsed.values[args[i][2..]] = args[++i];
        }
        return parsed;
    }

    public string? Text(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        values.TryGetValue(name, out var text) ? double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;
}
