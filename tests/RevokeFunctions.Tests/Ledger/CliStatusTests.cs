using System.Text.Json;
using RevokeFunctions.Cli;
using RevokeFunctions.Tests.Cli;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary><c>revoke status</c> as a real subprocess, configured by environment variables the way an operator runs it.</summary>
public sealed class CliStatusTests
{
    private static async Task<(int ExitCode, string[] Lines, string Error)> RunCliAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var (exit, output, error) = await CliProcess.RunBuiltAsync(environment, args);
        return (exit, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error);
    }

    private static Dictionary<string, string?> LedgerOf(TestEnvironment env) => new()
    {
        ["Ledger__connectionString"] = "UseDevelopmentStorage=true",
        ["Ledger__TableName"] = env.LedgerTableName,
    };

    [Fact]
    public async Task Status_prints_one_json_line_per_target_from_the_ledger_the_app_wrote()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        await env.Pipeline.ProcessAsync(await File.ReadAllBytesAsync(TestPaths.Fixture("valid/plain-request-list.json")), context, CancellationToken.None);

        var (exit, lines, error) = await RunCliAsync(LedgerOf(env), "status", context.RequestId, "--output", "json");

        Assert.True(exit == CliExitCode.Success, error);
        var targets = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.Equal([FixtureUsers.Bob, FixtureUsers.Carmen], targets.Select(t => t.GetProperty("userId").GetString()));
        Assert.All(targets, t => Assert.Equal("Revoked", t.GetProperty("state").GetString()));
        Assert.All(targets, t => Assert.Equal(context.RequestId, t.GetProperty("firstRequestId").GetString()));
    }

    [Fact]
    public async Task Status_as_a_table_names_the_request_and_each_state()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        await env.Pipeline.ProcessAsync(Native(), context, CancellationToken.None);

        var (exit, lines, error) = await RunCliAsync(LedgerOf(env), "status", context.RequestId);

        Assert.True(exit == CliExitCode.Success, error);
        Assert.StartsWith("USER", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("alice@contoso.com", StringComparison.Ordinal) && l.Contains("Revoked", StringComparison.Ordinal));
        Assert.Equal($"request {context.RequestId}: 1 target(s) from native", lines[^1]);
    }

    [Fact]
    public async Task An_unknown_request_exits_3_and_a_malformed_one_64()
    {
        await using var env = await TestEnvironment.StartAsync();

        var unknown = await RunCliAsync(LedgerOf(env), "status", Guid.NewGuid().ToString("D"));
        var malformed = await RunCliAsync(LedgerOf(env), "status", "no such/id");

        Assert.Equal(CliExitCode.NotFound, unknown.ExitCode);
        Assert.Empty(unknown.Lines);
        Assert.Equal(CliExitCode.Usage, malformed.ExitCode);
    }

    [Fact]
    public async Task Without_ledger_settings_status_explains_what_to_set_and_exits_69()
    {
        var (exit, _, error) = await RunCliAsync(null, "status", Guid.NewGuid().ToString("D"));

        Assert.Equal(CliExitCode.Unavailable, exit);
        Assert.Contains("Ledger__connectionString", error, StringComparison.Ordinal);
    }
}
