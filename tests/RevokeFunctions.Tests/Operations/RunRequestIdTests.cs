using RevokeFunctions.Cli;
using RevokeFunctions.Tests.Cli;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Operations;

/// <summary><c>revoke run --request-id</c>: the operator's own request ID, without touching the JSON contract.</summary>
public sealed class RunRequestIdTests
{
    private static Task<(int Exit, string Output, string Error)> RunCliAsync(params string[] args) => CliProcess.RunBuiltAsync(args);

    [Fact]
    public async Task The_table_names_the_given_request_id_and_a_malformed_one_is_a_usage_error()
    {
        var plain = Path.Combine(TestPaths.RepositoryRoot, "samples", "plain-request.json");

        var table = await RunCliAsync("run", plain, "--sandbox", TestPaths.TenantFile, "--request-id", "INC-20431.a_1");
        var json = await RunCliAsync("run", plain, "--sandbox", TestPaths.TenantFile, "--request-id", "INC-20431", "--output", "json");
        var malformed = await RunCliAsync("run", plain, "--sandbox", TestPaths.TenantFile, "--request-id", "INC 20431/x");

        Assert.True(table.Exit == CliExitCode.Success, table.Error);
        Assert.EndsWith("request INC-20431.a_1\n", table.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.True(json.Exit == CliExitCode.Success, json.Error);
        // The contract line, grown by the proof read back from Graph (issue 18).
        Assert.StartsWith($$"""{"user":"alice@contoso.com","userId":"{{FixtureUsers.Alice}}","outcome":"Revoked","reason":null,"detail":null,"verified":true,"sessionsValidFrom":"20""",
            json.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(CliExitCode.Usage, malformed.Exit);
        Assert.Contains("--request-id 'INC 20431/x' is not a request ID", malformed.Error, StringComparison.Ordinal);
    }
}
