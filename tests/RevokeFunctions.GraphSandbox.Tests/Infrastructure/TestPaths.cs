namespace RevokeFunctions.GraphSandbox.Tests.Infrastructure;

/// <summary>Finds the repository from the test output folder, and the team's fixtures beside it (../shared/fixtures).</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string TenantFile { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "tenant.json"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RevokeFunctions.sln")) || File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
                return dir.FullName;
        }

        throw new InvalidOperationException("No folder holding RevokeFunctions.sln or Directory.Build.props above " + AppContext.BaseDirectory);
    }
}
