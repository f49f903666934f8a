using System.Diagnostics;

namespace RevokeFunctions.Tests.Cli;

/// <summary>Runs a <c>revoke</c> as its own process, the way a person or a script runs it.</summary>
public static class CliProcess
{
    /// <summary>The build beside the tests (<c>dotnet revoke.dll</c>).</summary>
    public static Task<(int Exit, string Output, string Error)> RunBuiltAsync(params string[] args) => RunBuiltAsync(null, args);

    /// <summary>The build beside the tests with <paramref name="environment"/> set, as an operator configures it.</summary>
    public static Task<(int Exit, string Output, string Error)> RunBuiltAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "revoke.dll"), .. args], environment: environment);

    public static async Task<(int Exit, string Output, string Error)> RunAsync(
        string fileName, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // A null value removes the variable: the child must not see what this process happens to have.
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Backstop);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A hang, not a slow machine: say so with what it printed, and leave no process behind to load the machine further.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not exit within {Backstop.TotalMinutes:F0} min. "
                + $"Its output: {await stdout}{Environment.NewLine}Its errors: {await stderr}");
        }
        return (process.ExitCode, (await stdout).ReplaceLineEndings("\n"), (await stderr).ReplaceLineEndings("\n"));
    }

    /// <summary>
    /// How long a run may take before it counts as hung. Generous on purpose: a CLI run takes seconds, but a loaded shared
    /// machine (load averages of 30 on two cores, as under a parallel test suite) has stretched process start and Azurite
    /// answers to tens of seconds, and a backstop that fires then reports the machine, not the CLI.
    /// </summary>
    public static readonly TimeSpan Backstop = TimeSpan.FromMinutes(3);
}
