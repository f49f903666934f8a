using System.Reflection;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>Where the repository, its host.json and the team's shared fixtures are, from wherever the benchmark runs.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public static string HostJson => Path.Combine(Root, "host.json");

    /// <summary><c>../shared/fixtures</c> beside the repository, as CI and the developers' machines lay it out.</summary>
    public static string Fixtures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures"));

    /// <summary>Git ignores it; BenchmarkDotNet writes its own reports there too.</summary>
    public static string Artifacts => Path.Combine(Root, "BenchmarkDotNet.Artifacts");
}
