using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.Cli;

/// <summary>The command-line tool: the app's own pipeline, configured the way the app is (appsettings, then environment).</summary>
public static class CliApplication
{
    public const string Usage =
        "usage: revoke run <payload-file|-> [--sandbox <tenant.json>] [--dry-run] [--request-id <id>] [--output json|table]\n"
        + "       revoke status <request-id> [--output json|table]\n"
        + "       revoke dlq list [--reason <code>] [--since <time|30m|2h|7d>] [--output json|table]\n"
        + "       revoke dlq show <sequence-number> [--max-body <chars>] [--output json|table]\n"
        + "       revoke dlq resubmit <sequence-number> | --reason <code> | --all [--dry-run] [--confirm] [--output json|table]\n"
        + "       revoke dlq discard <sequence-number> [--confirm] [--output json|table]\n"
        + "       revoke demo --sandbox <tenant.json> <payload-file>...";

    /// <summary>Exit code after Ctrl+C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(string[] args, Stream input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await error.WriteLineAsync(Usage);
            return args.Length == 0 ? CliExitCode.Usage : CliExitCode.Success;
        }
        try
        {
            return args[0] switch
            {
                "run" => await RunCommand.RunAsync(args[1..], input, output, error, cancellationToken),
                "status" => await StatusCommand.RunAsync(args[1..], output, error, cancellationToken),
                "dlq" => await DlqCommand.RunAsync(args[1..], output, error, ErrorIsTerminal(error), cancellationToken),
                "demo" => await DemoCommand.RunAsync(args[1..], output, error, cancellationToken),
                _ => await UsageErrorAsync(error, $"Unknown command '{args[0]}'."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Interrupted.");
            return Interrupted;
        }
    }

    internal static async Task<int> UsageErrorAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync($"{problem}\n{Usage}");
        return CliExitCode.Usage;
    }

    /// <summary>The app's composition, configured the way the app is; with a sandbox, Graph is the sandbox.</summary>
    internal static IHost BuildHost(GraphSandboxServer? sandbox)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        if (sandbox is not null)
        {
            // The sandbox is only a different Graph base URL; the pipeline decides nothing from its presence.
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Graph:BaseUrl"] = sandbox.BaseUrl.ToString(),
            });
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddRevocationPipeline(builder.Configuration);
        return builder.Build();
    }

    // Progress bars only where a person watches: never into a file, a pipe or a test's writer.
    private static bool ErrorIsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
}
