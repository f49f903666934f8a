using System.CommandLine;
using System.Globalization;
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
internal static class DlqCommand
{
    public static Command Create(CliContext context) =>
        new("dlq", "The revocation queue's dead letters, signed in as you: list, show, resubmit or discard them")
        {
            List(context), Show(context), Resubmit(context), Discard(context),
        };

    private static Command List(CliContext context)
    {
        var reason = ReasonOption("Only dead letters with this reason code (e.g. UserNotFound)");
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only dead letters enqueued since a time (2026-11-24, 2026-11-24T09:00:00Z) or for an age (30m, 2h, 7d)",
            HelpName = "time|age",
            CustomParser = result =>
            {
                var value = result.Tokens[0].Value;
                if (ParseSince(value, context.Time.GetUtcNow()) is { } at)
                    return at;
                result.AddError($"--since takes a time (2026-11-24, 2026-11-24T09:00:00Z) or an age (30m, 2h, 7d), not '{value}'.");
                return null;
            },
        };
        var output = OutputFormatOption.Create();
        var command = new Command("list", "List the dead letters (peeked: nothing is locked or changed)") { reason, since, output };
        command.SetAction((parse, cancellationToken) => WithQueueAsync(context, queue =>
            ListAsync(new DeadLetterFilter(null, parse.GetValue(reason), parse.GetValue(since)), parse.GetValue(output), queue, context, cancellationToken), cancellationToken));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var sequence = SequenceArgument();
        var maxBody = new Option<int>("--max-body")
        {
            Description = $"Show at most this many characters of the body (default {DeadLetterBody.DefaultMaxChars})",
            HelpName = "chars",
            DefaultValueFactory = _ => DeadLetterBody.DefaultMaxChars,
            CustomParser = result =>
            {
                var value = result.Tokens[0].Value;
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var chars) && chars > 0)
                    return chars;
                result.AddError($"--max-body takes a number of characters, not '{value}'.");
                return 0;
            },
        };
        var output = OutputFormatOption.Create();
        var command = new Command("show", "Show one dead letter in full: properties, reason, body pretty-printed (peeked)") { sequence, maxBody, output };
        command.SetAction((parse, cancellationToken) => WithQueueAsync(context, queue =>
            ShowAsync(parse.GetValue(sequence)!.Value, parse.GetValue(maxBody), parse.GetValue(output), queue, context, cancellationToken), cancellationToken));
        return command;
    }

    private static Command Resubmit(CliContext context)
    {
        var sequence = SequenceArgument();
        sequence.Arity = ArgumentArity.ZeroOrOne;
        var reason = ReasonOption("Every dead letter with this reason code");
        var all = new Option<bool>("--all") { Description = "Every dead letter except StormGuard and ProtectedAccount ones (those need --confirm)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be sent; send and remove nothing" };
        var confirm = new Option<bool>("--confirm") { Description = "Also resubmit StormGuard and ProtectedAccount dead letters, after review" };
        var output = OutputFormatOption.Create();
        var command = new Command("resubmit", "Send copies of dead letters to the queue, then remove them: one sequence number, --reason <code> or --all")
        {
            sequence, reason, all, dryRun, confirm, output,
        };
        // Exactly one way of choosing, so "resubmit" alone can never mean "everything".
        command.Validators.Add(result =>
        {
            var ways = (result.GetValue(sequence) is not null ? 1 : 0) + (result.GetValue(reason) is not null ? 1 : 0) + (result.GetValue(all) ? 1 : 0);
            if (ways != 1)
                result.AddError("Choose what to resubmit: one sequence number, --reason <code>, or --all.");
        });
        command.SetAction((parse, cancellationToken) => WithQueueAsync(context, queue =>
        {
            var request = new ResubmitRequest(new DeadLetterFilter(parse.GetValue(sequence), parse.GetValue(reason)))
            {
                DryRun = parse.GetValue(dryRun),
                Confirm = parse.GetValue(confirm),
            };
            return ResubmitAsync(request, parse.GetValue(output), queue, context, cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static Command Discard(CliContext context)
    {
        var sequence = SequenceArgument();
        var confirm = new Option<bool>("--confirm") { Description = "Remove it; without this, only say what would be removed" };
        var output = OutputFormatOption.Create();
        var command = new Command("discard", "Remove one dead letter without resubmitting it (a request handled another way)") { sequence, confirm, output };
        command.SetAction((parse, cancellationToken) => WithQueueAsync(context, queue =>
            DiscardAsync(parse.GetValue(sequence)!.Value, parse.GetValue(confirm), parse.GetValue(output), queue, context, cancellationToken), cancellationToken));
        return command;
    }

    private static Argument<long?> SequenceArgument() => new("sequence-number")
    {
        Description = "The dead letter's sequence number (the first column of dlq list)",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result =>
        {
            var value = result.Tokens[0].Value;
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return number;
            result.AddError($"'{value}' is not a sequence number (the first column of dlq list).");
            return null;
        },
    };

    private static Option<string> ReasonOption(string description)
    {
        var option = new Option<string>("--reason") { Description = description, HelpName = "code" };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && result.Tokens[0].Value is var code && (code.Length == 0 || !code.All(char.IsAsciiLetterOrDigit)))
                result.AddError($"--reason takes a reason code such as UserNotFound, not '{code}'.");
        });
        return option;
    }

    /// <summary>An instant (a date means its midnight UTC) or an age back from now: <c>30m</c>, <c>2h</c>, <c>7d</c>.</summary>
    public static DateTimeOffset? ParseSince(string value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length >= 2 && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = value[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } span)
                return now - span;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
    }

    /// <summary>
    /// Runs a command on the context's queue, or on the configured namespace's (<c>ServiceBus__fullyQualifiedNamespace</c>,
    /// <c>RevocationQueueName</c>) signed in as the operator; access failures become the documented exit codes.
    /// </summary>
    private static async Task<int> WithQueueAsync(
        CliContext context, Func<DeadLetterQueue, Task<int>> command, CancellationToken cancellationToken)
    {
        try
        {
            if (context.DeadLetters is { } given)
                return await command(given);

            using var host = CliApplication.BuildHost(sandbox: null);
            await host.StartAsync(cancellationToken);
            try
            {
                var services = host.Services;
                await using var connection = DeadLetterQueueConnection.Open(
                    services.GetRequiredService<IConfiguration>()[QueueOptions.NamespaceSetting],
                    services.GetRequiredService<IOptions<QueueOptions>>().Value.QueueName,
                    services.GetRequiredService<TokenCredential>(),
                    services.GetRequiredService<TimeProvider>(),
                    services.GetRequiredService<PayloadParser>(),
                    services.GetService<DeadLetterIntents>());
                return await command(connection.Queue);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }
        catch (DeadLetterAccessException ex)
        {
            return await FailAsync(ex, context.Error);
        }
    }

    private static async Task<int> ListAsync(DeadLetterFilter filter, OutputFormat format, DeadLetterQueue queue, CliContext context, CancellationToken cancellationToken)
    {
        var deadLetters = await queue.ListAsync(filter, cancellationToken);
        if (deadLetters.Count == 0)
        {
            await NothingAsync(filter, queue, format == OutputFormat.Json ? context.Error : context.Output, cancellationToken);
            return CliExitCode.Success;
        }
        await DeadLetterWriter.WriteListAsync(deadLetters, queue.QueueName, format, context.Output);
        return CliExitCode.Success;
    }

    private static async Task<int> ShowAsync(long sequence, int maxBodyChars, OutputFormat format, DeadLetterQueue queue, CliContext context, CancellationToken cancellationToken)
    {
        var detail = await queue.ShowAsync(sequence, maxBodyChars, cancellationToken);
        if (detail is null)
        {
            await context.Error.WriteLineAsync($"The dead-letter queue of {queue.QueueName} has no letter {sequence} (resubmitted or removed already?); "
                + "'revoke dlq list' shows what is there.");
            return CliExitCode.NotFound;
        }
        await DeadLetterWriter.WriteDetailAsync(detail, queue.QueueName, format, context.Output);
        return CliExitCode.Success;
    }

    private static async Task<int> ResubmitAsync(
        ResubmitRequest request, OutputFormat format, DeadLetterQueue queue, CliContext context, CancellationToken cancellationToken)
    {
        var error = context.Error;
        var report = await TerminalProgress.RunAsync<ResubmitProgress, ResubmitReport>(context, "resubmitting",
            (progress, p) => { progress.MaxValue = Math.Max(p.Total, 1); progress.Value = p.Done; },
            progress => queue.ResubmitAsync(request, progress, cancellationToken));
        if (report.Results.Count == 0)
        {
            if (request.Selection.SequenceNumber is { } sequence)
            {
                await error.WriteLineAsync($"The dead-letter queue of {queue.QueueName} has no letter {sequence} (resubmitted or removed already?); "
                    + "nothing was sent.");
                return CliExitCode.NotFound;
            }
            await NothingAsync(request.Selection, queue, format == OutputFormat.Json ? error : context.Output, cancellationToken);
            return CliExitCode.Success;
        }

        await DeadLetterWriter.WriteResubmitAsync(report, request.DryRun, format, context.Output);
        if (report.Count(ResubmitOutcome.NeedsConfirmation) > 0)
        {
            await error.WriteLineAsync("StormGuard and ProtectedAccount dead letters were left alone: a guard stopped them on purpose. Check with "
                + "'revoke dlq show <seq>' that the revocation is wanted, then resubmit them with --confirm.");
        }
        if (report.StoppedBy is { } stopped)
            return await FailAsync(stopped, error);
        if (report.Results.Any(r => r.Outcome is ResubmitOutcome.Failed or ResubmitOutcome.NotReceived or ResubmitOutcome.SentNotRemoved))
            return CliExitCode.TargetFailed;
        return report.Count(ResubmitOutcome.NeedsConfirmation) > 0 ? CliExitCode.ConfirmationRequired : CliExitCode.Success;
    }

    private static async Task<int> DiscardAsync(long sequence, bool confirm, OutputFormat format, DeadLetterQueue queue, CliContext context, CancellationToken cancellationToken)
    {
        var error = context.Error;
        var report = await queue.DiscardAsync(sequence, confirm, cancellationToken);
        if (report.Results.Count == 0)
        {
            await error.WriteLineAsync($"The dead-letter queue of {queue.QueueName} has no letter {sequence} (resubmitted or removed already?).");
            return CliExitCode.NotFound;
        }
        await DeadLetterWriter.WriteResubmitAsync(report, dryRun: !confirm, format, context.Output);
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
    private static async Task NothingAsync(DeadLetterFilter filter, DeadLetterQueue queue, TextWriter writer, CancellationToken cancellationToken)
    {
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
