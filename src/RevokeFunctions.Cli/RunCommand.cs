using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Cli;

/// <summary><c>revoke run</c>: one payload through the app's pipeline; prints the <see cref="ResultWriter"/> contract.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var payload = new Argument<string>("payload-file|-") { Description = "The payload (any supported format), or - to read standard input" };
        var sandbox = SandboxOption("Run against the local Graph sandbox on this tenant file (samples/tenant.json) instead of real Graph");
        var dryRun = new Option<bool>("--dry-run") { Description = "Parse, resolve and run every guard, but revoke nobody (outcome WouldRevoke)" };
        var requestId = RequestIdOption();
        var output = OutputFormatOption.Create();
        var command = new Command("run", "Revoke the users one payload names, through the app's own pipeline")
        {
            payload, sandbox, dryRun, requestId, output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            context, parse.GetRequiredValue(payload), parse.GetValue(sandbox), parse.GetValue(dryRun), parse.GetValue(requestId), parse.GetValue(output),
            cancellationToken));
        return command;
    }

    internal static Option<string> SandboxOption(string description) => new("--sandbox")
    {
        Description = description,
        HelpName = "tenant.json",
    };

    private static Option<string> RequestIdOption()
    {
        var option = new Option<string>("--request-id")
        {
            Description = "The request's ID in the ledger and the logs (default: a new GUID)",
            HelpName = "id",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !LedgerScope.IsWellFormedRequestId(result.Tokens[0].Value))
                result.AddError($"--request-id '{result.Tokens[0].Value}' is not a request ID: up to 100 letters, digits, '-', '_' or '.'.");
        });
        return option;
    }

    private static async Task<int> RunAsync(
        CliContext context, string payloadPath, string? sandboxTenant, bool dryRun, string? requestId, OutputFormat format, CancellationToken cancellationToken)
    {
        var payload = await PayloadInput.ReadAsync(payloadPath, context.Input, context.Error, cancellationToken);
        if (payload is null)
            return CliExitCode.Usage;

        await using var sandbox = sandboxTenant is null ? null : await CliSandbox.StartAsync(sandboxTenant, context.Error, cancellationToken);
        if (sandboxTenant is not null && sandbox is null)
            return CliExitCode.Usage;

        using var host = CliApplication.BuildHost(sandbox);
        await host.StartAsync(cancellationToken);
        try
        {
            var pipeline = host.Services.GetRequiredService<RevocationPipeline>();
            var time = host.Services.GetRequiredService<TimeProvider>();
            var revocation = new RevocationContext(requestId ?? Guid.NewGuid().ToString("D"), RequestChannel.Cli, time.GetUtcNow())
            {
                DryRun = dryRun,
                Requester = $"cli:{Environment.UserName}",
            };
            var result = await pipeline.ProcessAsync(payload, revocation, cancellationToken);
            await ResultWriter.WriteAsync(result, format, context.Output);
            return ExitCodeOf(result);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    internal static int ExitCodeOf(RevocationResult result) =>
        result.Error is not null ? CliExitCode.InvalidPayload
            : result.AllSucceeded ? CliExitCode.Success
            : CliExitCode.TargetFailed;
}
