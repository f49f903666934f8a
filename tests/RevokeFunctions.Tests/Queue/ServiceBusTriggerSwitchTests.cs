using System.Diagnostics;
using System.Text.Json;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The App project's ServiceBusTrigger switch, evaluated by MSBuild itself (evaluation only, no build): a deployment
/// build can never silently lose the queue trigger, and a build without the package never references it.
/// </summary>
public sealed class ServiceBusTriggerSwitchTests(ServiceBusTriggerSwitchTests.PackageFolders folders)
    : IClassFixture<ServiceBusTriggerSwitchTests.PackageFolders>
{
    private const string Adapter = "Queue/RevocationQueueTrigger.cs";
    private const string Extension = "Microsoft.Azure.Functions.Worker.Extensions.ServiceBus";

    [Theory]
    [InlineData("", false, "empty", "off")]
    [InlineData("", false, "full", "on")]
    [InlineData("", true, "empty", "on")]
    [InlineData("off", true, "full", "off")]
    public void The_mode_follows_the_switch_publishing_and_the_package_folder(string setting, bool publishing, string cache, string mode)
    {
        var result = Evaluate(
            ("ServiceBusTrigger", setting),
            ("_IsPublishing", publishing ? "true" : ""),
            ("NuGetPackageRoot", (cache == "full" ? folders.Full : folders.Empty) + Path.DirectorySeparatorChar));

        Assert.Equal(mode, result.Properties["ServiceBusTriggerMode"]);
        Assert.Equal(mode == "on", result.Compile.Contains(Adapter));
        Assert.Equal(mode == "on", result.PackageReferences.Contains(Extension));
    }

    /// <summary>Two local package folders: one without the extension, one holding it at the version the project pins.</summary>
    public sealed class PackageFolders : IDisposable
    {
        public PackageFolders()
        {
            var version = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "Directory.Packages.props"))
                .Split("<ServiceBusExtensionVersion>")[1].Split('<')[0];
            var worker = Path.Combine(Full, Extension.ToLowerInvariant(), version);
            Directory.CreateDirectory(worker);
            File.WriteAllText(Path.Combine(worker, Extension.ToLowerInvariant() + ".nuspec"), "<package />");
            Directory.CreateDirectory(Path.Combine(Full, "microsoft.azure.webjobs.extensions.servicebus"));
        }

        public string Empty { get; } = Directory.CreateTempSubdirectory("revoke-nuget-empty-").FullName;

        public string Full { get; } = Directory.CreateTempSubdirectory("revoke-nuget-full-").FullName;

        public void Dispose()
        {
            Directory.Delete(Empty, recursive: true);
            Directory.Delete(Full, recursive: true);
        }
    }

    private sealed record Evaluation(IReadOnlyDictionary<string, string> Properties, IReadOnlySet<string> Compile, IReadOnlySet<string> PackageReferences);

    private static Evaluation Evaluate(params (string Name, string Value)[] properties)
    {
        var project = Path.Combine(TestPaths.RepositoryRoot, "src", "RevokeFunctions.App", "RevokeFunctions.App.csproj");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "msbuild", project, "-nologo", "-getProperty:ServiceBusTriggerMode",
                     "-getItem:Compile", "-getItem:PackageReference" })
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in properties.Where(p => p.Value.Length > 0))
            start.ArgumentList.Add($"-p:{name}={value}");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "msbuild evaluation timed out");
        Assert.True(process.ExitCode == 0, $"msbuild failed: {output.Result}{error.Result}");

        using var document = JsonDocument.Parse(output.Result);
        var root = document.RootElement;
        var values = root.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        static HashSet<string> Items(JsonElement items, string type) =>
            [.. items.GetProperty(type).EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/'))];
        var items = root.GetProperty("Items");
        return new Evaluation(values, Items(items, "Compile"), Items(items, "PackageReference"));
    }
}
