using System.Diagnostics;
using System.Net.Sockets;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// Makes sure Azurite's table endpoint (127.0.0.1:10002) answers, for the ledger: uses a running one, or starts one
/// with the repository's own <c>eng/azurite.sh</c> (which installs it from npm the first time) and stops it at the end.
/// </summary>
internal sealed class AzuriteLauncher : IDisposable
{
    private readonly Process? started;

    private AzuriteLauncher(Process? started, string status)
    {
        this.started = started;
        Status = status;
    }

    public string Status { get; }

    public static async Task<AzuriteLauncher> EnsureAsync(CancellationToken cancellationToken)
    {
        if (await ListeningAsync(cancellationToken))
            return new AzuriteLauncher(null, "Azurite was already listening on 127.0.0.1:10002");

        var script = Path.Combine(RepositoryPaths.Root, "eng", "azurite.sh");
        Console.WriteLine("Azurite is not listening on 127.0.0.1:10002; starting it with eng/azurite.sh (installs it from npm the first time) ...");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryPaths.Root,
            UseShellExecute = false,
        };
        // azurite_start runs Azurite in the background and stops it when this shell exits; `wait` keeps the shell up.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"source '{script}' && azurite_start && wait");
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start bash for eng/azurite.sh.");

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (await ListeningAsync(cancellationToken))
                return new AzuriteLauncher(process, "Azurite started by the benchmark with eng/azurite.sh");
            if (process.HasExited)
                break;
            await Task.Delay(500, cancellationToken);
        }
        process.Kill(entireProcessTree: true);
        process.Dispose();
        throw new InvalidOperationException(
            "Azurite did not start. Start it yourself (`source eng/azurite.sh && azurite_start`, needs Node.js and npm) and run the benchmark again.");
    }

    public void Dispose()
    {
        if (started is null)
            return;
        if (!started.HasExited)
            started.Kill(entireProcessTree: true);
        started.Dispose();
    }

    private static async Task<bool> ListeningAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", 10002, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
