using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

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
            result = await AwaitProofAsync(host.Services.GetRequiredService<RevocationVerifier>(), result, context.Error, cancellationToken);
            await ResultWriter.WriteAsync(result, format, context.Output);
            return ExitCodeOf(result);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A person at a terminal can wait: each user revoked now is read back until Graph shows the revocation, within
    /// <c>Revocation:Verification:Timeout</c>, so the printed row carries the proof (<c>verified</c>,
    /// <c>sessionsValidFrom</c>) rather than a promise. Dry runs and rows where nothing was revoked stay null.
    /// </summary>
    internal static async Task<RevocationResult> AwaitProofAsync(RevocationVerifier verifier, RevocationResult result, TextWriter error,
        CancellationToken cancellationToken)
    {
        if (!verifier.Options.Enabled)
            return result;
        var toProve = result.Targets.Where(t => t is { Outcome: Outcome.Revoked, Replayed: false, UserId: not null, RevokedAt: not null }).ToList();
        if (toProve.Count == 0)
            return result;
        await error.WriteLineAsync(
            $"Checking that Graph applied {toProve.Count} revocation(s): up to {verifier.Options.Timeout.TotalSeconds:0} s (Revocation:Verification:Timeout).");
        var proofs = new Dictionary<TargetResult, VerificationStatus>(ReferenceEqualityComparer.Instance);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(toProve, parallel, async (target, ct) =>
        {
            // The pipeline's ticket when it scheduled one (it names the ledger row and the outbox row this wait replaces).
            var ticket = target.VerificationTicket ?? new VerificationTicket(result.RequestId, target.UserId!, target.RevokedAt!.Value, target.PreviousValidFrom)
            {
                UserPrincipalName = target.UserPrincipalName,
                SourceKind = result.Source?.Kind ?? "unknown",
            };
            var proof = await verifier.WaitAsync(ticket, ct);
            lock (proofs)
                proofs[target] = proof;
        });
        foreach (var target in toProve.Where(t => proofs[t].State == VerificationState.Unverified))
            await error.WriteLineAsync($"warning: {target.UserPrincipalName ?? target.UserId}: Graph's sign-in sessions timestamp did not move; check the user.");
        return result with { Targets = [.. result.Targets.Select(t => proofs.TryGetValue(t, out var proof) ? t with { Verification = proof } : t)] };
    }

    internal static int ExitCodeOf(RevocationResult result) =>
        result.Error is not null ? CliExitCode.InvalidPayload
            : result.AllSucceeded ? CliExitCode.Success
            : CliExitCode.TargetFailed;
}
