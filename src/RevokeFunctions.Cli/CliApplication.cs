using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Hosting;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Cli;

/// <summary>The command-line tool: the app's own pipeline, configured the way the app is (appsettings, then environment).</summary>
public static class CliApplication
{
    private const string Usage =
        "usage: revoke run <payload-file|-> [--sandbox <tenant.json>] [--dry-run] [--output json|table]\n"
        + "       revoke status <request-id> [--output json|table]";

    public static async Task<int> RunAsync(string[] args, Stream input, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await error.WriteLineAsync(Usage);
            return args.Length == 0 ? CliExitCode.Usage : CliExitCode.Success;
        }
        if (args[0] == "status")
        {
            if (!StatusArguments.TryParse(args[1..], out var status, out var statusProblem))
            {
                await error.WriteLineAsync($"{statusProblem}\n{Usage}");
                return CliExitCode.Usage;
            }
            return await StatusCommand.RunAsync(status, output, error, cancellationToken);
        }
        if (args[0] != "run")
        {
            await error.WriteLineAsync($"Unknown command '{args[0]}'.\n{Usage}");
            return CliExitCode.Usage;
        }
        if (!RunArguments.TryParse(args[1..], out var run, out var problem))
        {
            await error.WriteLineAsync($"{problem}\n{Usage}");
            return CliExitCode.Usage;
        }

        byte[] payload;
        try
        {
            payload = run.Payload == "-" ? await ReadAllAsync(input, cancellationToken) : await File.ReadAllBytesAsync(run.Payload, cancellationToken);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"Cannot read the payload '{run.Payload}': {ex.Message}");
            return CliExitCode.Usage;
        }
        catch (UnauthorizedAccessException ex)
        {
            await error.WriteLineAsync($"Cannot read the payload '{run.Payload}': {ex.Message}");
            return CliExitCode.Usage;
        }

        await using var sandbox = run.SandboxTenant is null ? null : await StartSandboxAsync(run.SandboxTenant, error, cancellationToken);
        if (run.SandboxTenant is not null && sandbox is null)
            return CliExitCode.Usage;

        using var host = BuildHost(sandbox);
        await host.StartAsync(cancellationToken);
        try
        {
            var pipeline = host.Services.GetRequiredService<RevocationPipeline>();
            var time = host.Services.GetRequiredService<TimeProvider>();
            var context = new RevocationContext(Guid.NewGuid().ToString("D"), RequestChannel.Cli, time.GetUtcNow())
            {
                DryRun = run.DryRun,
                Requester = $"cli:{Environment.UserName}",
            };
            var result = await pipeline.ProcessAsync(payload, context, cancellationToken);
            await ResultWriter.WriteAsync(result, run.Output, output);
            return result.Error is not null ? CliExitCode.InvalidPayload
                : result.AllSucceeded ? CliExitCode.Success
                : CliExitCode.TargetFailed;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
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

    private static async Task<GraphSandboxServer?> StartSandboxAsync(string tenantPath, TextWriter error, CancellationToken cancellationToken)
    {
        SandboxTenant tenant;
        try
        {
            tenant = SandboxTenant.Load(tenantPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            await error.WriteLineAsync($"Cannot load the sandbox tenant '{tenantPath}': {ex.Message}");
            return null;
        }
        return await GraphSandboxServer.StartAsync(tenant, cancellationToken: cancellationToken);
    }

    private static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await input.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
