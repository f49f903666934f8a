using RevokeFunctions.Cli;
using RevokeFunctions.Operations;

namespace RevokeFunctions.Tests.Operations;

/// <summary>The <c>dlq</c> command lines, and the progress bar a long resubmission draws.</summary>
public sealed class DlqArgumentsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("30m", "2026-11-25T11:30:00Z")]
    [InlineData("2h", "2026-11-25T10:00:00Z")]
    [InlineData("7d", "2026-11-18T12:00:00Z")]
    [InlineData("2026-11-24", "2026-11-24T00:00:00Z")]
    [InlineData("2026-11-24T09:15:00+01:00", "2026-11-24T08:15:00Z")]
    public void Since_takes_an_age_or_a_time(string value, string expected)
    {
        Assert.True(DlqArguments.TryParse(["list", "--since", value], Now, out var parsed, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed.Filter.Since);
    }

    [Theory]
    [InlineData("resubmit")]
    [InlineData("resubmit", "--dry-run")]
    [InlineData("resubmit", "17", "--all")]
    [InlineData("resubmit", "--reason", "UserNotFound", "--all")]
    [InlineData("show")]
    [InlineData("show", "seventeen")]
    [InlineData("list", "17")]
    [InlineData("list", "--confirm")]
    [InlineData("list", "--since", "yesterday")]
    [InlineData("list", "--reason", "User Not Found")]
    [InlineData("purge")]
    [InlineData("1")]
    public void Ambiguous_or_wrong_command_lines_are_refused(params string[] args) =>
        Assert.False(DlqArguments.TryParse(args, Now, out _, out _));

    [Fact]
    public void Resubmit_takes_exactly_one_selection_with_its_switches()
    {
        Assert.True(DlqArguments.TryParse(["resubmit", "--reason", "StormGuard", "--confirm", "--dry-run", "--output", "json"], Now, out var parsed, out var error), error);

        Assert.Equal(DlqVerb.Resubmit, parsed.Verb);
        Assert.Equal(new DeadLetterFilter(Reason: "StormGuard"), parsed.Filter);
        Assert.True(parsed.Confirm);
        Assert.True(parsed.DryRun);
        Assert.Equal(OutputFormat.Json, parsed.Output);
    }

    [Fact]
    public void The_progress_bar_fills_with_the_letters_done()
    {
        Assert.Equal("resubmitting [..............................] 0/40", ProgressBar.Render(new ResubmitProgress(0, 40)));
        Assert.Equal("resubmitting [###############...............] 20/40", ProgressBar.Render(new ResubmitProgress(20, 40)));

        using var terminal = new StringWriter();
        var bar = new ProgressBar(terminal, TimeProvider.System);
        bar.Report(new ResubmitProgress(1, 2));
        bar.Report(new ResubmitProgress(2, 2));

        // Drawn in place, then wiped so the results start on a clean line.
        Assert.Equal("\r" + ProgressBar.Render(new ResubmitProgress(1, 2)) + "\r" + new string(' ', 49) + "\r", terminal.ToString());
    }
}
