using Spectre.Console;

namespace RevokeFunctions.Cli;

/// <summary>
/// Live progress for long operations (resubmitting many dead letters, waiting for the smoke test's dead letter), drawn
/// by Spectre.Console on standard error and cleared when done, so results start on a clean line. Nothing is drawn
/// unless standard error is a terminal: scripts and tests see only the results.
/// </summary>
internal static class TerminalProgress
{
    /// <param name="show">Moves the bar for a report of the operation's own progress type.</param>
    public static async Task<TResult> RunAsync<TProgress, TResult>(
        CliContext context, string description, Action<ProgressTask, TProgress> show, Func<IProgress<TProgress>?, Task<TResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(operation);
        if (!context.ErrorIsTerminal)
            return await operation(null);

        // The context already knows standard error is a terminal; Spectre need not guess again.
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Error),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Yes,
        });
        return await terminal.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress => await operation(new Reporter<TProgress>(progress.AddTask(description), show)));
    }

    /// <summary>Reports straight into the task (Spectre redraws on its own timer), not through a synchronization context.</summary>
    private sealed class Reporter<TProgress>(ProgressTask task, Action<ProgressTask, TProgress> show) : IProgress<TProgress>
    {
        public void Report(TProgress value) => show(task, value);
    }
}
