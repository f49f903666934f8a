using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.Cli;

/// <summary>
/// The command-line tool: the app's own pipeline, configured the way the app is (appsettings, then environment). The
/// command line is System.CommandLine's: generated help per command, typo suggestions, response files (<c>@file</c>),
/// completions (<see cref="CompletionCommand"/>); every command-line error is exit code 64.
/// </summary>
public static class CliApplication
{
    /// <summary>Exit code after Ctrl+C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    public static Task<int> RunAsync(string[] args, Stream input, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, new CliContext(input, output, error) { ErrorIsTerminal = ErrorIsTerminal(error) }, cancellationToken);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var parse = CreateRootCommand(context).Parse(args);
        if (parse.Action is ParseErrorAction errors)
            return await UsageErrorAsync(parse, errors, context.Error);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = context.Output,
                Error = context.Error,
                // Program.cs owns Ctrl+C (first press: stop at a safe point) and exceptions end the process as before.
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("Interrupted.");
            return Interrupted;
        }
    }

    /// <summary>Every command, with the context they read, write and connect through.</summary>
    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("Revoke Entra ID users' sign-in sessions with the RevokeFunctions pipeline, operate its queue, prove a deployment")
        {
            RunCommand.Create(context),
            StatusCommand.Create(context),
            DlqCommand.Create(context),
            DemoCommand.Create(context),
            Smoke.SmokeCommand.Create(context),
            CompletionCommand.Create(),
        };
        // Help is wrapped to the terminal, and to a fixed width elsewhere so that what scripts and tests read is stable.
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is HelpAction action)
            action.MaxWidth = context.ErrorIsTerminal && Console.WindowWidth > 0 ? Console.WindowWidth : HelpWidth;
        return root;
    }

    internal const int HelpWidth = 110;

    /// <summary>
    /// The library's errors and typo suggestions, all on standard error (standard output stays the results' alone), then
    /// where to find the usage; exit code 64 (EX_USAGE) for any of them.
    /// </summary>
    private static async Task<int> UsageErrorAsync(ParseResult parse, ParseErrorAction errors, TextWriter error)
    {
        errors.ShowHelp = false;
        errors.ShowTypoCorrections = true;
        await parse.InvokeAsync(new InvocationConfiguration { Output = error, Error = error });
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
            names.Insert(0, result.Command.Name);
        await error.WriteLineAsync($"See '{string.Join(' ', names.Prepend("revoke"))} --help' for usage.");
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
