using System.Diagnostics;
using System.Text.Json;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The App project's ServiceBusTrigger switch, evaluated by MSBuild itself (no restore, no build): users get the queue
/// trigger by default, a publish without it stops with an error, and a build with it off never references the package.
/// </summary>
public sealed class ServiceBusTriggerSwitchTests
{
    private const string Adapter = "Queue/RevocationQueueTrigger.cs";
    private const string Extension = "Microsoft.Azure.Functions.Worker.Extensions.ServiceBus";

    [Theory]
    [InlineData("", false, "on")]
    [InlineData("", true, "on")]
    [InlineData("on", false, "on")]
    [InlineData("off", false, "off")]
    public void The_mode_is_on_unless_switched_off(string setting, bool publishing, string mode)
    {
        var result = Evaluate(("ServiceBusTrigger", setting), ("_IsPublishing", publishing ? "true" : ""));

        Assert.Equal(mode, result.Properties["ServiceBusTriggerMode"]);
        Assert.Equal(mode == "on", result.Compile.Contains(Adapter));
        Assert.Equal(mode == "on", result.PackageReferences.Contains(Extension));
    }

    [Theory]
    [InlineData("CheckServiceBusTriggerSwitch", true)]
    [InlineData("RefusePublishingWithoutServiceBusTrigger", false)]
    public void Publishing_with_the_trigger_off_stops_with_an_error(string target, bool setPublishing)
    {
        string[] arguments = setPublishing
            ? ["-t:" + target, "-p:ServiceBusTrigger=off", "-p:_IsPublishing=true"]
            : ["-t:" + target, "-p:ServiceBusTrigger=off"];

        var (exitCode, output) = Run(arguments);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ServiceBusTrigger=off while publishing", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_script_detects_a_feed_without_the_package_once_and_says_so_in_one_line()
    {
        var script = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "eng", "servicebus-trigger.sh"));
        var test = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "eng", "test.sh"));

        Assert.Contains("servicebus_trigger_detect", test, StringComparison.Ordinal);
        Assert.Single(script.Split('\n'), line => line.Contains("echo \"Service Bus queue trigger OFF", StringComparison.Ordinal));
        // The run that detected it exports the answer, so every later build of the run uses it without asking again.
        Assert.Contains("export ServiceBusTrigger=off", script, StringComparison.Ordinal);
    }

    private sealed record Evaluation(IReadOnlyDictionary<string, string> Properties, IReadOnlySet<string> Compile, IReadOnlySet<string> PackageReferences);

    private static Evaluation Evaluate(params (string Name, string Value)[] properties)
    {
        string[] arguments = ["-getProperty:ServiceBusTriggerMode", "-getItem:Compile", "-getItem:PackageReference",
            .. properties.Where(p => p.Value.Length > 0).Select(p => $"-p:{p.Name}={p.Value}")];
        var (exitCode, output) = Run(arguments);
        Assert.True(exitCode == 0, $"msbuild failed: {output}");

        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        var values = root.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        static HashSet<string> Items(JsonElement items, string type) =>
            [.. items.GetProperty(type).EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!.Replace('\\', '/'))];
        var items = root.GetProperty("Items");
        return new Evaluation(values, Items(items, "Compile"), Items(items, "PackageReference"));
    }

    /// <summary>MSBuild on the App project (no restore), without the ServiceBusTrigger variable the scripts export.</summary>
    private static (int ExitCode, string Output) Run(string[] arguments)
    {
        var project = Path.Combine(TestPaths.RepositoryRoot, "src", "RevokeFunctions.App", "RevokeFunctions.App.csproj");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("ServiceBusTrigger");
        foreach (var argument in new[] { "msbuild", project, "-nologo" }.Concat(arguments))
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "msbuild timed out");
        return (process.ExitCode, output.Result + error.Result);
    }
}
