using System.CommandLine;

namespace RevokeFunctions.Cli;

/// <summary><c>--output json|table</c>, read the same way by every command (case-insensitive; table when absent).</summary>
internal static class OutputFormatOption
{
    public static Option<OutputFormat> Create(string description = "json: one JSON object per line, for scripts; table: for people (default)")
    {
        var option = new Option<OutputFormat>("--output")
        {
            Description = description,
            HelpName = "json|table",
            CustomParser = result =>
            {
                var value = result.Tokens[0].Value;
                if (Enum.TryParse<OutputFormat>(value, ignoreCase: true, out var format) && Enum.IsDefined(format))
                    return format;
                result.AddError($"--output takes json or table, not '{value}'.");
                return default;
            },
        };
        option.CompletionSources.Clear();
        option.CompletionSources.Add("json", "table");
        return option;
    }
}
