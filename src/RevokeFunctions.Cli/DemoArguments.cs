namespace RevokeFunctions.Cli;

/// <summary><c>demo --sandbox &lt;tenant.json&gt; &lt;payload-file&gt;...</c>: the sandbox is required, so a demo never reaches real Graph.</summary>
public sealed record DemoArguments(string SandboxTenant, IReadOnlyList<string> Payloads)
{
    public static bool TryParse(IReadOnlyList<string> args, out DemoArguments parsed, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = null!;
        error = "";
        string? sandbox = null;
        var payloads = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--sandbox" when i + 1 < args.Count:
                    sandbox = args[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal) || option == "-":
                    error = $"Unknown or incomplete option '{option}'.";
                    return false;
                default:
                    payloads.Add(args[i]);
                    break;
            }
        }
        if (sandbox is null)
        {
            error = "demo runs only against the local Graph sandbox: give --sandbox <tenant.json> (samples/tenant.json).";
            return false;
        }
        if (payloads.Count == 0)
        {
            error = "Name the payload files to run (samples/*.json).";
            return false;
        }
        parsed = new DemoArguments(sandbox, payloads);
        return true;
    }
}
