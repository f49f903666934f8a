using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Cli;

/// <summary><c>revoke run</c>: one payload through the app's pipeline; prints the <see cref="ResultWriter"/> contract.</summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Stream input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!RunArguments.TryParse(args, out var run, out var problem))
            return await CliApplication.UsageErrorAsync(error, problem);

        var payload = await PayloadInput.ReadAsync(run.Payload, input, error, cancellationToken);
        if (payload is null)
            return CliExitCode.Usage;

        await using var sandbox = run.SandboxTenant is null ? null : await CliSandbox.StartAsync(run.SandboxTenant, error, cancellationToken);
        if (run.SandboxTenant is not null && sandbox is null)
            return CliExitCode.Usage;

        using var host = CliApplication.BuildHost(sandbox);
        await host.StartAsync(cancellationToken);
        try
        {
            var pipeline = host.Services.GetRequiredService<RevocationPipeline>();
            var time = host.Services.GetRequiredService<TimeProvider>();
            var context = new RevocationContext(run.RequestId ?? Guid.NewGuid().ToString("D"), RequestChannel.Cli, time.GetUtcNow())
            {
                DryRun = run.DryRun,
                Requester = $"cli:{Environment.UserName}",
            };
            var result = await pipeline.ProcessAsync(payload, context, cancellationToken);
            await ResultWriter.WriteAsync(result, run.Output, output);
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
