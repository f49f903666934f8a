using System.Diagnostics;

namespace RevokeFunctions.Tests.Cli;

/// <summary>Runs a <c>revoke</c> as its own process, the way a person or a script runs it.</summary>
public static class CliProcess
{
    /// <summary>The build beside the tests (<c>dotnet revoke.dll</c>).</summary>
    public static Task<(int Exit, string Output, string Error)> RunBuiltAsync(params string[] args) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "revoke.dll"), .. args]);

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
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).ReplaceLineEndings("\n"), (await stderr).ReplaceLineEndings("\n"));
    }
}
