using System.Text.RegularExpressions;
using RevokeFunctions.Cli;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Cli.Smoke;

/// <summary>The azd <c>postdeploy</c> hook: <c>revoke smoke</c> after every deployment when <c>RUN_SMOKE_TEST</c> is set, its failure failing the hook.</summary>
public sealed class SmokeHookTests
{
    private static string Script => Path.Combine(TestPaths.RepositoryRoot, "infra", "scripts", "smoke-test.sh");

    /// <summary>The azd outputs <c>revoke smoke</c> reads, removed so that only what a test gives is seen.</summary>
    private static Dictionary<string, string?> Environment(string? runSmokeTest) => new()
    {
        ["RUN_SMOKE_TEST"] = runSmokeTest,
        ["REVOKE_CLI_DLL"] = Path.Combine(AppContext.BaseDirectory, "revoke.dll"),
        ["AZURE_FUNCTION_APP_HOSTNAME"] = "func-contoso.azurewebsites.net",
        ["API_APP_CLIENT_ID"] = null,
        ["SMOKE_TEST_USER"] = null,
        ["SERVICEBUS_FULLY_QUALIFIED_NAMESPACE"] = null,
        ["ServiceBus__fullyQualifiedNamespace"] = null,
        ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = null,
    };

    [Fact]
    public void Azure_yaml_runs_the_smoke_test_after_deploy_on_both_shells()
    {
        var yaml = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "azure.yaml")).ReplaceLineEndings("\n");

        var hook = Regex.Match(yaml, @"(?ms)^  postdeploy:\n(?<body>(    .*?\n)+)").Groups["body"].Value;
        Assert.Matches(@"(?m)^      run: infra/scripts/smoke-test\.sh$", hook);
        Assert.Matches(@"(?m)^      run: infra/scripts/smoke-test\.ps1$", hook);
        Assert.DoesNotContain("continueOnError: true", hook, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.ChangeExtension(Script, ".ps1")));
    }

    [Fact]
    public async Task Without_RUN_SMOKE_TEST_the_hook_says_how_to_turn_it_on_and_succeeds()
    {
        var (exit, output, _) = await CliProcess.RunAsync("sh", [Script], environment: Environment(null));

        Assert.Equal(0, exit);
        Assert.Contains("skipped; azd env set RUN_SMOKE_TEST true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_RUN_SMOKE_TEST_the_hook_runs_revoke_smoke_and_fails_with_it()
    {
        var (exit, _, error) = await CliProcess.RunAsync("sh", [Script], environment: Environment("true"));

        Assert.Equal(CliExitCode.Usage, exit);
        Assert.Contains("revoke smoke needs --api-client-id (API_APP_CLIENT_ID), --test-user (SMOKE_TEST_USER)", error, StringComparison.Ordinal);
    }
}
