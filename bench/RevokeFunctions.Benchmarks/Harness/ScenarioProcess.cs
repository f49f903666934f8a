using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// Runs one scenario in a process of its own (this same program with <c>run</c>), so its peak working set is its
/// own and no scenario inherits another's JIT, pools or heap. The child writes its figures as JSON to a file.
/// </summary>
internal static class ScenarioProcess
{
    public static async Task<T> RunAsync<T>(IReadOnlyList<string> arguments, JsonTypeInfo<T> resultType, CancellationToken cancellationToken)
    {
        var resultFile = Path.Combine(Path.GetTempPath(), $"revoke-bench-{Guid.NewGuid():N}.json");
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(processPath) { UseShellExecute = false };
        // Under `dotnet bench.dll` the host is dotnet itself and the program is the assembly.
        if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(ScenarioProcess).Assembly.Location);
        start.ArgumentList.Add("run");
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--result");
        start.ArgumentList.Add(resultFile);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the scenario process.");
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0 || !File.Exists(resultFile))
            throw new InvalidOperationException($"The scenario process `run {string.Join(' ', arguments)}` failed with exit code {process.ExitCode}.");
        try
        {
            await using var stream = File.OpenRead(resultFile);
            return await JsonSerializer.DeserializeAsync(stream, resultType, cancellationToken)
                ?? throw new InvalidOperationException("The scenario process wrote no result.");
        }
        finally
        {
            File.Delete(resultFile);
        }
    }

    public static async Task WriteResultAsync<T>(string path, T result, JsonTypeInfo<T> resultType)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, result, resultType);
    }
}
