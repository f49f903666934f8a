using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>The machine a report was measured on, read from the OS and the runtime.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{CpuModel()}, {Environment.ProcessorCount} logical cores, {memory:F0} GiB; {RuntimeInformation.OSDescription}; "
            + $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
    }

    /// <summary>The 1-, 5- and 15-minute load averages: above the core count, something else was competing for the CPU.</summary>
    public static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
            return "n/a";
        var parts = File.ReadAllText(path).Split(' ');
        return parts.Length >= 3 ? $"{parts[0]} / {parts[1]} / {parts[2]}" : "n/a";
    }

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                    return line[(colon + 1)..].Trim();
            }
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
