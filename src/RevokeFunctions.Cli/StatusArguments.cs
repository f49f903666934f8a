namespace RevokeFunctions.Cli;

/// <summary><c>status &lt;requestId&gt; [--output json|table]</c>.</summary>
public sealed record StatusArguments(string RequestId, OutputFormat Output)
{
    public static bool TryParse(IReadOnlyList<string> args, out StatusArguments parsed, out string error)
    {
        parsed = null!;
        error = "";
        string? requestId = null;
        var output = OutputFormat.Table;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--output" when i + 1 < args.Count:
                    if (!OutputFormatOption.TryParse(args[++i], out output, out error))
                        return false;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    error = $"Unknown or incomplete option '{option}'.";
                    return false;
                default:
                    if (requestId is not null)
                    {
                        error = $"Only one request ID may be given ('{requestId}' and '{args[i]}').";
                        return false;
                    }
                    requestId = args[i];
                    break;
            }
        }
        if (requestId is null)
        {
            error = "Name the request ID (the requestId a revocation answered with).";
            return false;
        }
        parsed = new StatusArguments(requestId, output);
        return true;
    }
}
