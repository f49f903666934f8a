using System.Diagnostics;
using System.Globalization;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// CPU time used by this process and by Azurite (found by its command line in /proc) between two readings. At 0 ms
/// sandbox latency the machine's cores are the bottleneck, so CPU per target is what decides throughput; Azurite's
/// share is the ledger's, which in Azure is Table storage's, off the app's cores.
/// </summary>
internal sealed class CpuMeter
{
    private readonly TimeSpan processStart = OwnCpu();
    private readonly TimeSpan? azuriteStart = AzuriteCpu();

    public (TimeSpan Process, TimeSpan? Azurite) Elapsed() =>
        (OwnCpu() - processStart, AzuriteCpu() is { } now && azuriteStart is { } then ? now - then : null);

    private static TimeSpan OwnCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static TimeSpan? AzuriteCpu()
    {
        if (!Directory.Exists("/proc"))
            return null;
        long ticks = 0;
        var found = false;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (!commandLine.Contains("azurite", StringComparison.Ordinal) || !commandLine.Contains("node", StringComparison.Ordinal))
                    continue;
                // Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name) are user and system time in clock ticks.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                found = true;
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        // Linux reports in USER_HZ, 100 per second on every mainstream configuration.
        return found ? TimeSpan.FromSeconds(ticks / 100.0) : null;
    }
}
