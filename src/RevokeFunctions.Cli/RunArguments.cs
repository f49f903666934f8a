namespace RevokeFunctions.Cli;

/// <summary><c>run &lt;payload-file|-&gt; [--sandbox &lt;tenant.json&gt;] [--dry-run] [--request-id &lt;id&gt;] [--output json|table]</c>.</summary>
public sealed record RunArguments(string Payload, string? SandboxTenant, bool DryRun, OutputFormat Output)
{
    /// <summary>The request's ID in the ledger and the logs; a new GUID when not given.</summary>
    public string? RequestId { get; init; }

    public static bool TryParse(IReadOnlyList<string> args, out RunArguments parsed, out string error)
    {
        parsed = null!;
        error = "";
        string? payload = null;
        string? sandbox = null;
        var dryRun = false;
        string? requestId = null;
        var output = OutputFormat.Table;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--sandbox" when i + 1 < args.Count:
                    sandbox = args[++i];
                    break;
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--request-id" when i + 1 < args.Count:
                    requestId = args[++i];
                    if (!Ledger.LedgerScope.IsWellFormedRequestId(requestId))
                    {
                        error = $"--request-id '{requestId}' is not a request ID: up to 100 letters, digits, '-', '_' or '.'.";
                        return false;
                    }
                    break;
                case "--output" when i + 1 < args.Count:
                    if (!OutputFormatOption.TryParse(args[++i], out output, out error))
                        return false;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    error = $"Unknown or incomplete option '{option}'.";
                    return false;
                default:
                    if (payload is not null)
                    {
                        error = $"Only one payload may be given ('{payload}' and '{args[i]}').";
                        return false;
                    }
                    payload = args[i];
                    break;
            }
        }
        if (payload is null)
        {
            error = "Name the payload file, or - to read standard input.";
            return false;
        }
        parsed = new RunArguments(payload, sandbox, dryRun, output) { RequestId = requestId };
        return true;
    }
}
