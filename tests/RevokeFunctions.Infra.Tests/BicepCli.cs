namespace RevokeFunctions.Infra.Tests;

/// <summary>The real Bicep CLI from the NuGet package restored for this project.</summary>
public static class BicepCli
{
    private static readonly Lazy<string> Executable = new(Locate);

    public static ProcessResult Run(params string[] arguments) =>
        ProcessRunner.Run(Executable.Value, arguments, Repository.Root);

    private static string Locate()
    {
        var path = Repository.BicepCliPath;
        if (!File.Exists(path))
            throw new FileNotFoundException($"The Bicep CLI is not at {path}; restore this project (PackageDownload).", path);
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }
}
