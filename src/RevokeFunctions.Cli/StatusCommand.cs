using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Cli;

/// <summary><c>revoke status &lt;requestId&gt;</c>: reads the same ledger the app writes, with the same settings.</summary>
public static class StatusCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return StatusArguments.TryParse(args, out var status, out var problem)
            ? await RunAsync(status, output, error, cancellationToken)
            : await CliApplication.UsageErrorAsync(error, problem);
    }

    public static async Task<int> RunAsync(StatusArguments status, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (!LedgerScope.IsWellFormedRequestId(status.RequestId))
        {
            await error.WriteLineAsync($"'{status.RequestId}' is not a request ID: up to 100 letters, digits, '-', '_' or '.'.");
            return CliExitCode.Usage;
        }

        using var host = CliApplication.BuildHost(sandbox: null);
        await host.StartAsync(cancellationToken);
        try
        {
            var ledger = host.Services.GetRequiredService<IRevocationLedger>();
            if (!ledger.IsConfigured)
            {
                await error.WriteLineAsync("The revocation ledger is not configured: set Ledger__serviceUri=https://<account>.table.core.windows.net "
                    + "(signs in as you) or Ledger__connectionString=UseDevelopmentStorage=true (Azurite), and Ledger__TableName if not 'revocations'.");
                return CliExitCode.Unavailable;
            }

            IReadOnlyList<LedgerEntry> entries;
            try
            {
                entries = await ledger.ListAsync(status.RequestId, cancellationToken);
            }
            catch (LedgerUnavailableException ex)
            {
                await error.WriteLineAsync($"The revocation ledger did not answer: {ex.Message}");
                return CliExitCode.Unavailable;
            }
            if (entries.Count == 0)
            {
                await error.WriteLineAsync($"The ledger has no request '{status.RequestId}' (never received, refused as a whole, a dry run, or past retention).");
                return CliExitCode.NotFound;
            }
            await StatusWriter.WriteAsync(status.RequestId, [.. entries.Select(TargetStatus.From)], status.Output, output);
            return CliExitCode.Success;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
