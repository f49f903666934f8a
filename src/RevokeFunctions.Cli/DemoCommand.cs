using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.Cli;

/// <summary>
/// <c>revoke demo</c>: several payloads through the app's pipeline in one process, each against a fresh Graph sandbox
/// (so each shows its own outcome, as a first run would), all recorded in one ledger; then that ledger's rows for
/// every request, read back as <c>revoke status</c> reads them. What <c>eng/run-local.sh</c> runs.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        // Required: a demo never reaches real Graph.
        var sandbox = RunCommand.SandboxOption("The local Graph sandbox's tenant file (samples/tenant.json); a demo never reaches real Graph");
        sandbox.Required = true;
        var payloads = new Argument<string[]>("payload-file") { Description = "The payloads to run (samples/*.json)", Arity = ArgumentArity.OneOrMore };
        payloads.Validators.Add(result =>
        {
            if (result.Tokens.Any(t => t.Value == "-"))
                result.AddError("demo reads payload files, not standard input ('-').");
        });
        var command = new Command("demo", "Run several payloads against a fresh Graph sandbox each, into one ledger, then print its rows")
        {
            sandbox, payloads,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetRequiredValue(sandbox), parse.GetRequiredValue(payloads), context.Output, context.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string sandboxTenant, string[] payloads, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var exitCode = CliExitCode.Success;
        var requests = new List<(string Payload, string RequestId)>();
        foreach (var path in payloads)
        {
            var payload = await PayloadInput.ReadAsync(path, Stream.Null, error, cancellationToken);
            if (payload is null)
                return CliExitCode.Usage;
            await using var sandbox = await CliSandbox.StartAsync(sandboxTenant, error, cancellationToken);
            if (sandbox is null)
                return CliExitCode.Usage;

            using var host = CliApplication.BuildHost(sandbox);
            await host.StartAsync(cancellationToken);
            try
            {
                var time = host.Services.GetRequiredService<TimeProvider>();
                foreach (var (name, body, refused) in Requests(host.Services, path, payload))
                {
                    var context = new RevocationContext(Guid.NewGuid().ToString("D"), RequestChannel.Cli, time.GetUtcNow())
                    {
                        Requester = $"cli:{Environment.UserName}",
                    };
                    var result = refused is not null
                        ? RevocationResult.Invalid(context.RequestId, refused)
                        : await host.Services.GetRequiredService<RevocationPipeline>().ProcessAsync(body, context, cancellationToken);
                    // As `run` does: the ledger rows printed below carry the proof read back, not "pending".
                    result = await RunCommand.AwaitProofAsync(host.Services.GetRequiredService<RevocationVerifier>(), result, error, cancellationToken);
                    var source = result.Source is { } s ? s.Kind : "invalid payload";
                    await output.WriteLineAsync($"== {name}: {source}, request {context.RequestId}");
                    await ResultWriter.WriteAsync(result, OutputFormat.Table, output);
                    await output.WriteLineAsync();
                    exitCode = Math.Max(exitCode, RunCommand.ExitCodeOf(result));
                    requests.Add((name, context.RequestId));
                }
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }

        await WriteLedgerAsync(requests, output, cancellationToken);
        return exitCode;
    }

    /// <summary>
    /// The requests in one file: the file itself, or, for a CloudEvents batch (a JSON array of events, what Event Grid
    /// sends with batched delivery), each event as a request of its own (<c>file[0]</c>, <c>file[1]</c>, …), as the HTTP
    /// trigger runs them. A batch refused whole, or an item that is no CloudEvent, carries its error instead.
    /// </summary>
    private static IEnumerable<(string Name, ReadOnlyMemory<byte> Body, PayloadError? Refused)> Requests(IServiceProvider services, string path, byte[] payload)
    {
        var name = Path.GetFileName(path);
        if (!CloudEventBatch.LooksLikeBatch(payload))
        {
            yield return (name, payload, null);
            yield break;
        }
        var batch = services.GetRequiredService<PayloadParser>().SplitBatch(payload);
        if (batch.Error is { } error)
            yield return (name, payload, error);
        foreach (var item in batch.Items)
            yield return ($"{name}[{item.Index}]", item.Body, item.Error);
    }

    private static async Task WriteLedgerAsync(List<(string Payload, string RequestId)> requests, TextWriter output, CancellationToken cancellationToken)
    {
        using var host = CliApplication.BuildHost(sandbox: null);
        await host.StartAsync(cancellationToken);
        try
        {
            var ledger = host.Services.GetRequiredService<RevocationStatusReader>();
            if (!ledger.IsConfigured)
            {
                await output.WriteLineAsync("== Ledger: not configured, so nothing was recorded. Set Ledger__connectionString=UseDevelopmentStorage=true "
                    + "(with Azurite running) to record every decision and list it here.");
                return;
            }
            var table = host.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName;
            await output.WriteLineAsync($"== Ledger: table '{table}', one row per request and user (revoke status <request> shows one again)");
            foreach (var (payload, requestId) in requests)
            {
                IReadOnlyList<TargetStatus> entries;
                try
                {
                    entries = await ledger.ReadAsync(requestId, cancellationToken);
                }
                catch (LedgerUnavailableException ex)
                {
                    await output.WriteLineAsync($"-- {Path.GetFileName(payload)}: the ledger did not answer: {ex.Message}");
                    continue;
                }
                await output.WriteLineAsync($"-- {Path.GetFileName(payload)}");
                if (entries.Count == 0)
                    await output.WriteLineAsync($"request {requestId}: no rows (the payload was refused as a whole)");
                else
                    await StatusWriter.WriteAsync(requestId, entries, OutputFormat.Table, output);
            }
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
