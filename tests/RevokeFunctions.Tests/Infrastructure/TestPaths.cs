using System.Reflection;

namespace RevokeFunctions.Tests.Infrastructure;

/// <summary>Where the repository and the team's shared fixtures are, from wherever the tests run.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary><c>../shared/fixtures</c> beside the repository, as CI lays it out.</summary>
    public static string Fixtures { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures"));

    public static string TenantFile => Path.Combine(Fixtures, "tenant.json");

    public static string Fixture(string relativePath) => Path.Combine(Fixtures, relativePath);

    private static string FindRoot() =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
}
