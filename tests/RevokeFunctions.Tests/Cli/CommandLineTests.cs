using System.Globalization;
using System.Text.Json;
using RevokeFunctions.Cli;
using RevokeFunctions.Operations;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Operations;

namespace RevokeFunctions.Tests.Cli;

/// <summary>
/// The command line System.CommandLine parses: usage errors are exit code 64 on standard error with typo suggestions,
/// response files expand, completions come from the library's own <c>[suggest]</c> directive.
/// </summary>
public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // Any command that gets past the parser meets an empty dead-letter queue, never a real namespace.
        var subQueue = new DeadLetterSubQueue();
        var context = new CliContext(Stream.Null, output, error) { DeadLetters = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)) };
        var exit = await CliApplication.RunAsync(args, context, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("dlq", "resubmit")]
    [InlineData("dlq", "resubmit", "--dry-run")]
    [InlineData("dlq", "resubmit", "17", "--all")]
    [InlineData("dlq", "resubmit", "--reason", "UserNotFound", "--all")]
    [InlineData("dlq", "show")]
    [InlineData("dlq", "show", "seventeen")]
    [InlineData("dlq", "show", "17", "--max-body", "0")]
    [InlineData("dlq", "list", "17")]
    [InlineData("dlq", "list", "--confirm")]
    [InlineData("dlq", "list", "--since", "yesterday")]
    [InlineData("dlq", "list", "--reason", "User Not Found")]
    [InlineData("dlq", "list", "--output", "xml")]
    [InlineData("dlq", "purge")]
    [InlineData("dlq", "1")]
    [InlineData("dlq")]
    [InlineData("status")]
    [InlineData("status", "no such/id")]
    [InlineData("run")]
    [InlineData("run", "a.json", "b.json")]
    [InlineData("demo", "samples/plain-request.json")]
    [InlineData("demo", "--sandbox", "samples/tenant.json", "-")]
    [InlineData("completion", "fish")]
    [InlineData("revoke")]
    [InlineData]
    public async Task Wrong_or_ambiguous_command_lines_are_usage_errors_on_standard_error(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(CliExitCode.Usage, exit);
        Assert.Equal("", output);
        Assert.Matches(@"See 'revoke( [a-z]+)* --help' for usage\.\n$", error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_mistyped_command_or_option_is_answered_with_what_was_meant()
    {
        var command = await RunAsync("dlq", "lsit");
        var option = await RunAsync("dlq", "list", "--outptu", "json");

        Assert.Equal(CliExitCode.Usage, command.Exit);
        Assert.Contains("'lsit' was not matched. Did you mean one of the following?\nlist\n", command.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("See 'revoke dlq --help' for usage.", command.Error, StringComparison.Ordinal);
        Assert.Equal(CliExitCode.Usage, option.Exit);
        Assert.Contains("Did you mean one of the following?\n--output\n", option.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("", command.Output + option.Output);
    }

    [Fact]
    public async Task The_messages_say_what_a_value_should_be()
    {
        Assert.Contains("--output takes json or table, not 'xml'.", (await RunAsync("dlq", "list", "--output", "xml")).Error, StringComparison.Ordinal);
        Assert.Contains("--since takes a time (2026-11-24, 2026-11-24T09:00:00Z) or an age (30m, 2h, 7d), not 'yesterday'.",
            (await RunAsync("dlq", "list", "--since", "yesterday")).Error, StringComparison.Ordinal);
        Assert.Contains("'seventeen' is not a sequence number (the first column of dlq list).", (await RunAsync("dlq", "show", "seventeen")).Error, StringComparison.Ordinal);
        Assert.Contains("Choose what to resubmit: one sequence number, --reason <code>, or --all.", (await RunAsync("dlq", "resubmit")).Error, StringComparison.Ordinal);
        Assert.Contains("'no such/id' is not a request ID", (await RunAsync("status", "no such/id")).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30m", "2026-11-25T11:30:00Z")]
    [InlineData("2h", "2026-11-25T10:00:00Z")]
    [InlineData("7d", "2026-11-18T12:00:00Z")]
    [InlineData("2026-11-24", "2026-11-24T00:00:00Z")]
    [InlineData("2026-11-24T09:15:00+01:00", "2026-11-24T08:15:00Z")]
    public void Since_takes_an_age_or_a_time(string value, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), DlqCommand.ParseSince(value, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task Resubmit_takes_one_selection_with_its_switches_and_output_is_case_insensitive()
    {
        var subQueue = new DeadLetterSubQueue();
        var guarded = Letters.Add(subQueue, ReasonCode.StormGuard);
        using var output = new StringWriter();
        var context = new CliContext(Stream.Null, output, TextWriter.Null) { DeadLetters = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)) };

        var exit = await CliApplication.RunAsync(["dlq", "resubmit", "--reason", "StormGuard", "--confirm", "--dry-run", "--output", "JSON"], context, CancellationToken.None);

        Assert.Equal(CliExitCode.Success, exit);
        var result = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(guarded.SequenceNumber, result.GetProperty("sequenceNumber").GetInt64());
        Assert.Equal(nameof(ResubmitOutcome.WouldResubmit), result.GetProperty("outcome").GetString());
        Assert.True(subQueue.Contains(guarded.SequenceNumber));
    }

    [Fact]
    public async Task A_response_file_stands_for_the_arguments_it_lists()
    {
        var subQueue = new DeadLetterSubQueue();
        Letters.Add(subQueue, ReasonCode.UserNotFound, requestId: "req-1");
        Letters.Add(subQueue, ReasonCode.GraphForbidden, requestId: "req-2");
        var tool = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue));
        var file = Path.Combine(Path.GetTempPath(), $"revoke-{Guid.NewGuid():N}.rsp");
        await File.WriteAllTextAsync(file, "list\n--reason GraphForbidden\n--output json\n");
        try
        {
            var fromFile = await DlqCli.RunAsync(tool, "@" + file);
            var inline = await DlqCli.RunAsync(tool, "list", "--reason", "GraphForbidden", "--output", "json");

            Assert.Equal(CliExitCode.Success, fromFile.Exit);
            Assert.Equal("req-2", JsonDocument.Parse(fromFile.Output).RootElement.GetProperty("requestId").GetString());
            Assert.Equal(inline.Output, fromFile.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("revoke dlq li", "list")]
    [InlineData("revoke dlq list --outp", "--output")]
    [InlineData("revoke status x --output ", "json\ntable")]
    [InlineData("revoke completion z", "zsh")]
    public async Task Completions_come_from_the_suggest_directive_the_shell_scripts_call(string line, string expected)
    {
        var (exit, output, _) = await RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(CliExitCode.Success, exit);
        Assert.Equal(expected, output.ReplaceLineEndings("\n").TrimEnd('\n'));
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _revoke_complete revoke")]
    [InlineData("zsh", "compdef _revoke_complete revoke")]
    [InlineData("pwsh", "Register-ArgumentCompleter -Native -CommandName revoke")]
    public async Task Completion_prints_a_script_that_asks_revoke_itself(string shell, string registration)
    {
        var (exit, output, _) = await RunAsync("completion", shell);

        Assert.Equal(CliExitCode.Success, exit);
        Assert.Contains(registration, output, StringComparison.Ordinal);
        Assert.Contains("revoke \"[suggest:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_a_resubmission_draws_its_progress_on_standard_error_and_the_results_stay_on_standard_output()
    {
        var subQueue = new DeadLetterSubQueue();
        for (var i = 0; i < 3; i++)
            Letters.Add(subQueue, ReasonCode.UserNotFound);
        using var output = new StringWriter();
        using var terminal = new StringWriter();
        var context = new CliContext(Stream.Null, output, terminal)
        {
            ErrorIsTerminal = true,
            DeadLetters = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)),
        };

        var exit = await CliApplication.RunAsync(["dlq", "resubmit", "--all", "--output", "json"], context, CancellationToken.None);

        Assert.Equal(CliExitCode.Success, exit);
        Assert.Contains("resubmitting", terminal.ToString(), StringComparison.Ordinal);
        var results = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("outcome").GetString());
        Assert.Equal(Enumerable.Repeat(nameof(ResubmitOutcome.Resubmitted), 3), results);
    }
}
