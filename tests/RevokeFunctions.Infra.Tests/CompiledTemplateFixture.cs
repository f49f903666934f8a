namespace RevokeFunctions.Infra.Tests;

/// <summary>Builds infra/main.bicep once, with the real Bicep CLI, into a temporary folder (never into the repo).</summary>
public sealed class CompiledTemplateFixture : IDisposable
{
    private readonly string outputDirectory;

    public CompiledTemplateFixture()
    {
        outputDirectory = Directory.CreateTempSubdirectory("revoke-infra-tests-").FullName;
        var outputFile = Path.Combine(outputDirectory, "main.json");
        Build = BicepCli.Run("build", Repository.PathOf("infra", "main.bicep"), "--outfile", outputFile);
        if (Build.ExitCode != 0 || !File.Exists(outputFile))
            throw new InvalidOperationException($"bicep build infra/main.bicep failed ({Build.ExitCode}):\n{Build.Output}");
        Template = new ArmTemplate(File.ReadAllText(outputFile));
    }

    public ProcessResult Build { get; }

    public ArmTemplate Template { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(outputDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplateFixture>
{
    public const string Name = "compiled main.bicep";
}
