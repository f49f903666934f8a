using System.Text.Json;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Cli;

/// <summary>
/// The CLI's <c>--output json</c> contract and exit codes, run as a real subprocess the way scripts and acceptance
/// checks run it.
/// </summary>
public sealed class CliContractTests
{
    // The contract grows only by fields: verified and sessionsValidFrom (issue 18) are always present, null when empty.
    private static readonly string[] ContractFields = ["user", "userId", "outcome", "reason", "detail", "verified", "sessionsValidFrom"];

    private static async Task<(int ExitCode, string[] Lines, string Error)> RunCliAsync(params string[] args)
    {
        var (exit, output, error) = await CliProcess.RunBuiltAsync(args);
        return (exit, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error);
    }

    private static JsonElement[] ParseLines(string[] lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    [Fact]
    public async Task A_revoked_user_prints_one_contract_line_and_exits_0()
    {
        var (exit, lines, error) = await RunCliAsync("run", TestPaths.Fixture("valid/plain-request-upn.json"),
            "--sandbox", TestPaths.TenantFile, "--output", "json");

        Assert.True(exit == 0, error);
        var line = Assert.Single(ParseLines(lines));
        Assert.Equal(ContractFields, line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("alice@contoso.com", line.GetProperty("user").GetString());
        Assert.Equal(FixtureUsers.Alice, line.GetProperty("userId").GetString());
        Assert.Equal("Revoked", line.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task A_revoked_user_carries_the_proof_Graph_shows_after_the_revocation()
    {
        var before = DateTimeOffset.UtcNow;
        var (exit, lines, error) = await RunCliAsync("run", TestPaths.Fixture("valid/plain-request-upn.json"),
            "--sandbox", TestPaths.TenantFile, "--output", "json");

        Assert.True(exit == 0, error);
        var line = Assert.Single(ParseLines(lines));
        Assert.True(line.GetProperty("verified").GetBoolean());
        var text = line.GetProperty("sessionsValidFrom").GetString()!;
        var validFrom = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", text);
        Assert.InRange(validFrom, before.AddSeconds(-1), DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("valid/plain-request-objectid.json", "--dry-run")]
    [InlineData("edge/guest-user-ext-upn.json", null)]
    public async Task Where_nothing_was_revoked_the_proof_fields_are_null(string file, string? flag)
    {
        string[] args = ["run", TestPaths.Fixture(file), "--sandbox", TestPaths.TenantFile, "--output", "json"];
        var (_, lines, _) = await RunCliAsync(flag is null ? args : [.. args, flag]);

        var line = Assert.Single(ParseLines(lines));
        Assert.NotEqual("Revoked", line.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("verified").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("sessionsValidFrom").ValueKind);
    }

    [Fact]
    public async Task A_list_prints_one_line_per_target()
    {
        var (exit, lines, error) = await RunCliAsync("run", TestPaths.Fixture("valid/plain-request-list.json"),
            "--sandbox", TestPaths.TenantFile, "--output", "json");

        Assert.True(exit == 0, error);
        Assert.Equal([FixtureUsers.Bob, FixtureUsers.Carmen], ParseLines(lines).Select(l => l.GetProperty("userId").GetString()));
    }

    [Fact]
    public async Task A_target_that_is_not_revoked_exits_1()
    {
        var (exit, lines, _) = await RunCliAsync("run", TestPaths.Fixture("edge/guest-user-ext-upn.json"),
            "--sandbox", TestPaths.TenantFile, "--output", "json");

        Assert.Equal(1, exit);
        var line = Assert.Single(ParseLines(lines));
        Assert.Equal("Refused", line.GetProperty("outcome").GetString());
        Assert.Equal("GuestUser", line.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("invalid/truncated.json", "InvalidPayload")]
    [InlineData("invalid/unknown-schema.json", "UnknownSchema")]
    public async Task An_invalid_payload_prints_one_Invalid_line_with_a_null_user_and_exits_2(string file, string reason)
    {
        var (exit, lines, _) = await RunCliAsync("run", TestPaths.Fixture(file), "--sandbox", TestPaths.TenantFile, "--output", "json");

        Assert.Equal(2, exit);
        var line = Assert.Single(ParseLines(lines));
        Assert.Equal(ContractFields, line.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, line.GetProperty("user").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("userId").ValueKind);
        Assert.Equal("Invalid", line.GetProperty("outcome").GetString());
        Assert.Equal(reason, line.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Dry_run_prints_WouldRevoke_and_exits_0()
    {
        var (exit, lines, error) = await RunCliAsync("run", TestPaths.Fixture("valid/plain-request-objectid.json"),
            "--sandbox", TestPaths.TenantFile, "--dry-run", "--output", "json");

        Assert.True(exit == 0, error);
        Assert.Equal("WouldRevoke", Assert.Single(ParseLines(lines)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task The_table_output_names_the_outcome()
    {
        var (exit, lines, error) = await RunCliAsync("run", TestPaths.Fixture("valid/plain-request-objectid.json"),
            "--sandbox", TestPaths.TenantFile);

        Assert.True(exit == 0, error);
        Assert.StartsWith("USER", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("9bda968c-0255-45a3-9894-9fc8b7c45cf5", StringComparison.Ordinal) && l.Contains("Revoked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_command_line_is_a_usage_error()
    {
        var (exit, _, error) = await RunCliAsync("run");

        Assert.Equal(64, exit);
        Assert.Contains("usage", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rescinded_leaver_prints_Cancelled_in_the_contract_shape_and_exits_0()
    {
        var table = TestEnvironment.NewTableName();
        var ledger = new Dictionary<string, string?>
        {
            ["Ledger__connectionString"] = "UseDevelopmentStorage=true",
            ["Ledger__TableName"] = table,
            ["Guards__StormGuard__TableName"] = TestEnvironment.NewTableName(),
        };
        try
        {
            var (exit, output, error) = await CliProcess.RunAsync("dotnet",
                [Path.Combine(AppContext.BaseDirectory, "revoke.dll"), "run", Path.Combine(TestPaths.RepositoryRoot, "samples", "hr-leaver-rescinded.json"),
                 "--sandbox", TestPaths.TenantFile, "--output", "json"], environment: ledger);

            Assert.True(exit == 0, error);
            var line = Assert.Single(ParseLines(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
            Assert.Equal(ContractFields, line.EnumerateObject().Select(p => p.Name));
            Assert.Equal("Cancelled", line.GetProperty("outcome").GetString());
            Assert.Equal("LeaverRescinded", line.GetProperty("reason").GetString());
        }
        finally
        {
            await new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true").DeleteTableAsync(table);
        }
    }

    [Fact]
    public async Task A_rescind_without_a_ledger_is_refused_and_exits_1()
    {
        var (exit, lines, _) = await RunCliAsync("run", Path.Combine(TestPaths.RepositoryRoot, "samples", "hr-leaver-rescinded.json"),
            "--sandbox", TestPaths.TenantFile, "--output", "json");

        Assert.Equal(1, exit);
        var line = Assert.Single(ParseLines(lines));
        Assert.Equal("Refused", line.GetProperty("outcome").GetString());
        Assert.Equal("LeaverPlanUnavailable", line.GetProperty("reason").GetString());
    }
}
