using System.Reflection;

namespace RevokeFunctions.Infra.Tests;

/// <summary>Paths the build passed in as assembly metadata (see the csproj).</summary>
public static class Repository
{
    public static string Root { get; } = Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string BicepCliPath { get; } = Metadata("BicepCliPath");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadAllText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string Metadata(string key)
    {
        var value = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
            throw new InvalidOperationException($"Assembly metadata '{key}' is missing; build through the csproj.");
        return value;
    }
}
