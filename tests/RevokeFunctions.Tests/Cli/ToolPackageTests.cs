using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Cli;

/// <summary>
/// The CLI ships the way .NET tools ship: <c>dotnet pack</c> makes <c>RevokeFunctions.Cli</c>, and
/// <c>dotnet tool install</c> from that folder gives a working <c>revoke</c>.
/// </summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task The_packed_tool_installs_from_a_folder_and_answers_help()
    {
        var work = Directory.CreateTempSubdirectory("revoke-tool-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var tools = Path.Combine(work.FullName, "tools");
            // The build the tests run on, packed as it is: fast enough for CI, and exactly what was tested.
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Debug" : "Release";
            var project = Path.Combine(TestPaths.RepositoryRoot, "src", "RevokeFunctions.Cli", "RevokeFunctions.Cli.csproj");

            var pack = await CliProcess.RunAsync("dotnet", ["pack", project, "-c", configuration, "--no-build", "--no-restore", "-o", feed, "--nologo"]);
            Assert.True(pack.Exit == 0, pack.Output + pack.Error);
            Assert.Single(Directory.GetFiles(feed, "RevokeFunctions.Cli.*.nupkg"));

            // A package folder of its own: the machine's cache would hand back an earlier build of the same version.
            var install = await CliProcess.RunAsync("dotnet", ["tool", "install", "RevokeFunctions.Cli", "--tool-path", tools, "--add-source", feed], work.FullName,
                new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "packages") });
            Assert.True(install.Exit == 0, install.Output + install.Error);

            var revoke = Path.Combine(tools, OperatingSystem.IsWindows() ? "revoke.exe" : "revoke");
            var (exit, output, error) = await CliProcess.RunAsync(revoke, ["--help"]);
            Assert.True(exit == 0, error);
            Assert.Contains("Usage:\n  revoke [command] [options]", output, StringComparison.Ordinal);
            Assert.Contains("  run <payload-file|->", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
