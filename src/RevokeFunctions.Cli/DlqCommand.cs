using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RevokeFunctions.Operations;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Cli;

/// <summary>
/// <c>revoke dlq list|show|resubmit|discard</c>: the revocation queue's dead letters, through the namespace and queue the app
/// is configured with (<c>ServiceBus__fullyQualifiedNamespace</c>, <c>RevocationQueueName</c>), signed in as the operator.
/// </summary>
public static class DlqCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, bool errorIsTerminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!DlqArguments.TryParse(args, DateTimeOffset.UtcNow, out var dlq, out var problem))
            return await CliApplication.UsageErrorAsync(error, problem);

        using var host = CliApplication.BuildHost(sandbox: null);
        await host.StartAsync(cancellationToken);
        try
        {
            var services = host.Services;
            DeadLetterQueueConnection connection;
            try
            {
                connection = DeadLetterQueueConnection.Open(
                    services.GetRequiredService<IConfiguration>()[QueueOptions.NamespaceSetting],
                    services.GetRequiredService<IOptions<QueueOptions>>().Value.QueueName,
                    services.GetRequiredService<TokenCredential>(),
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<PayloadParser>(),
                    services.GetService<DeadLetterIntents>());
            }
            catch (DeadLetterAccessException ex)
            {
                return await FailAsync(ex, error);
            }
            await using (connection)
            {
                var progress = errorIsTerminal ? new ProgressBar(error, services.GetRequiredService<TimeProvider>()) : null;
                return await ExecuteAsync(dlq, connection.Queue, output, error, progress, cancellationToken);
            }
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Runs a parsed command against a queue; the part of the command the tests drive with Service Bus types of their own.</summary>
    public static async Task<int> ExecuteAsync(
        DlqArguments dlq, DeadLetterQueue queue, TextWriter output, TextWriter error, IProgress<ResubmitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dlq);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return dlq.Verb switch
            {
                DlqVerb.List => await ListAsync(dlq, queue, output, error, cancellationToken),
                DlqVerb.Show => await ShowAsync(dlq, queue, output, error, cancellationToken),
                DlqVerb.Discard => await DiscardAsync(dlq, queue, output, error, cancellationToken),
                _ => await ResubmitAsync(dlq, queue, output, error, progress, cancellationToken),
            };
        }
        catch (DeadLetterAccessException ex)
        {
            return await FailAsync(ex, error);
        }
    }

    private static async Task<int> ListAsync(DlqArguments dlq, DeadLetterQueue queue, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var letters = await queue.ListAsync(dlq.Filter, cancellationToken);
        if (letters.Count == 0)
        {
            await NothingAsync(dlq, queue, dlq.Output == OutputFormat.Json ? error : output, cancellationToken);
            return CliExitCode.Success;
        }
        await DeadLetterWriter.WriteListAsync(letters, queue.QueueName, dlq.Output, output);
        return CliExitCode.Success;
    }

    private static async Task<int> ShowAsync(DlqArguments dlq, DeadLetterQueue queue, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var sequence = dlq.Filter.SequenceNumber!.Value;
        var detail = await queue.ShowAsync(sequence, dlq.MaxBodyChars, cancellationToken);
        if (detail is null)
        {
            await error.WriteLineAsync($"The dead-letter queue of {queue.QueueName} has no letter {sequence} (resubmitted or removed already?); "
                + "'revoke dlq list' shows what is there.");
            return CliExitCode.NotFound;
        }
        await DeadLetterWriter.WriteDetailAsync(detail, queue.QueueName, dlq.Output, output);
        return CliExitCode.Success;
    }

    private static async Task<int> ResubmitAsync(
        DlqArguments dlq, DeadLetterQueue queue, TextWriter output, TextWriter error, IProgress<ResubmitProgress>? progress, CancellationToken cancellationToken)
    {
        var report = await queue.ResubmitAsync(new ResubmitRequest(dlq.Filter) { DryRun = dlq.DryRun, Confirm = dlq.Confirm }, progress, cancellationToken);
        if (report.Results.Count == 0)
        {
            if (dlq.Filter.SequenceNumber is { } sequence)
            {
                await error.WriteLineAsync($"The dead-letter queue of {queue.QueueName} has no letter {sequence} (resubmitted or removed already?); "
                    + "nothing was sent.");
                return CliExitCode.NotFound;
            }
            await NothingAsync(dlq, queue, dlq.Output == OutputFormat.Json ? error : output, cancellationToken);
            return CliExitCode.Success;
        }

        await DeadLetterWriter.WriteResubmitAsync(report, dlq.DryRun, dlq.Output, output);
        if (report.Count(ResubmitOutcome.NeedsConfirmation) > 0)
        {
            await error.WriteLineAsync("StormGuard and ProtectedAccount letters were left alone: a guard stopped them on purpose. Check with "
                + "'revoke dlq show <seq>' that the revocation is wanted, then resubmit them with --confirm.");
        }
        if (report.StoppedBy is { } stopped)
            return await FailAsync(stopped, error);
        if (report.Results.Any(r => r.Outcome is ResubmitOutcome.Failed or ResubmitOutcome.NotReceived or ResubmitOutcome.SentNotRemoved))
            return CliExitCode.TargetFailed;
        return report.Count(ResubmitOutcome.NeedsConfirmation) > 0 ? CliExitCode.ConfirmationRequired : CliExitCode.Success;
    }

    private static async Task<int> DiscardAsync(DlqArguments dlq, DeadLetterQueue queue, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var sequence = dlq.Filter.SequenceNumber!.Value;
        var report = await queue.DiscardAsync(sequence, dlq.Confirm, cancellationToken);
        if (report.Results.Count == 0)
        {
            await error.WriteLineAsync($"The dead-letter queue of {queue.QueueName} has no letter {sequence} (resubmitted or removed already?).");
            return CliExitCode.NotFound;
        }
        await DeadLetterWriter.WriteResubmitAsync(report, dryRun: !dlq.Confirm, dlq.Output, output);
        if (report.StoppedBy is { } stopped)
            return await FailAsync(stopped, error);
        return report.Results[0].Outcome switch
        {
            ResubmitOutcome.Discarded => CliExitCode.Success,
            ResubmitOutcome.NeedsConfirmation => CliExitCode.ConfirmationRequired,
            _ => CliExitCode.TargetFailed,
        };
    }

    /// <summary>A friendly line for "nothing there", naming what is there when a filter matched nothing.</summary>
    private static async Task NothingAsync(DlqArguments dlq, DeadLetterQueue queue, TextWriter writer, CancellationToken cancellationToken)
    {
        var filter = dlq.Filter;
        if (filter.Reason is null && filter.Since is null)
        {
            await writer.WriteLineAsync($"The dead-letter queue of {queue.QueueName} is empty: nothing has failed for good.");
            return;
        }
        var counts = await queue.CountByReasonAsync(cancellationToken);
        if (counts.Count == 0)
        {
            await writer.WriteLineAsync($"The dead-letter queue of {queue.QueueName} is empty: nothing has failed for good.");
            return;
        }
        var present = string.Join(", ", counts.Select(c => $"{TerminalText.Line(c.Key, 40)} ({c.Value})"));
        await writer.WriteLineAsync($"No dead letters in {queue.QueueName} match; it holds: {present}.");
    }

    private static async Task<int> FailAsync(DeadLetterAccessException exception, TextWriter error)
    {
        await error.WriteLineAsync(exception.Message);
        return exception.Failure == DeadLetterAccessFailure.NotPermitted ? CliExitCode.NotPermitted : CliExitCode.Unavailable;
    }
}
