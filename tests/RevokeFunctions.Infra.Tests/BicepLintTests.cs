namespace RevokeFunctions.Infra.Tests;

/// <summary>`bicep lint` on every Bicep file, with infra/bicepconfig.json, reports nothing at all.</summary>
public sealed class BicepLintTests
{
    [Fact]
    public void Every_bicep_file_lints_without_warnings()
    {
        var files = Directory.GetFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var result = BicepCli.Run("lint", "--pattern", "infra/**/*.bicep");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(result.DiagnosticLines);
    }

    [Fact]
    public void Linter_configuration_keeps_the_secret_rules_on()
    {
        var config = Repository.ReadAllText("infra", "bicepconfig.json");
        foreach (var rule in new[]
                 {
                     "no-unused-params", "secure-secrets-in-params", "outputs-should-not-contain-secrets",
                     "use-secure-value-for-secure-inputs", "no-hardcoded-env-urls",
                 })
        {
            Assert.Matches($"\"{rule}\"\\s*:\\s*\\{{\\s*\"level\"\\s*:\\s*\"(warning|error)\"", config);
        }
    }
}
