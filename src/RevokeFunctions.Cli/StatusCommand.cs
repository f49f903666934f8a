using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Cli;

/// <summary><c>revoke status &lt;requestId&gt;</c>: reads the same ledger the app writes, with the same settings.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var requestId = new Argument<string>("request-id") { Description = "The requestId a revocation answered with" };
        requestId.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !LedgerScope.IsWellFormedRequestId(result.Tokens[0].Value))
                result.AddError($"'{result.Tokens[0].Value}' is not a request ID: up to 100 letters, digits, '-', '_' or '.'.");
        });
        var output = OutputFormatOption.Create();
        var command = new Command("status", "Show a request's rows in the revocation ledger: each user's state, outcome and reason")
        {
            requestId, output,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(context, parse.GetRequiredValue(requestId), parse.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string requestId, OutputFormat format, CancellationToken cancellationToken)
    {
        var error = context.Error;
        using var host = CliApplication.BuildHost(sandbox: null);
        await host.StartAsync(cancellationToken);
        try
        {
            var ledger = host.Services.GetRequiredService<RevocationStatusReader>();
            if (!ledger.IsConfigured)
            {
                await error.WriteLineAsync("The revocation ledger is not configured: set Ledger__serviceUri=https://<account>.table.core.windows.net "
                    + "(signs in as you) or Ledger__connectionString=UseDevelopmentStorage=true (Azurite), and Ledger__TableName if not 'revocations'.");
                return CliExitCode.Unavailable;
            }

            IReadOnlyList<TargetStatus> entries;
            try
            {
                entries = await ledger.ReadAsync(requestId, cancellationToken);
            }
            catch (LedgerUnavailableException ex)
            {
                await error.WriteLineAsync($"The revocation ledger did not answer: {ex.Message}");
                return CliExitCode.Unavailable;
            }
            if (entries.Count == 0)
            {
                await error.WriteLineAsync($"The ledger has no request '{requestId}' (never received, refused as a whole, a dry run, or past retention).");
                return CliExitCode.NotFound;
            }
            await StatusWriter.WriteAsync(requestId, entries, format, context.Output);
            return CliExitCode.Success;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
