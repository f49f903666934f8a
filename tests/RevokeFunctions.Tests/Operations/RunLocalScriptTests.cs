using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Operations;

/// <summary>
/// <c>bash eng/run-local.sh</c>, the README's first command, as a subprocess: every sample kind ends as it should and
/// the ledger rows on Azurite are printed after. It runs this test build of the CLI (REVOKE_CLI_DLL) instead of
/// building its own, and reuses the Azurite the tests run against.
/// </summary>
public sealed class RunLocalScriptTests
{
    // Each sample, the source kind it is read as, and how its users end (a leaver due in 2099 is scheduled, not revoked;
    // the same employee's rescheduled leaver is scheduled in its place, then rescinded: the demo runs them in name order).
    public static TheoryData<string, string, string> Samples => new()
    {
        { "cloudevent-risk-detection.json", CloudEventFormat.FormatKind, "Revoked" },
        { "defender-endpoint-alert.json", EndpointAlertFormat.FormatKind, "Revoked" },
        { "defender-xdr-alert-page.json", DefenderAlertFormat.FormatKind, "Revoked" },
        { "defender-xdr-alert.json", DefenderAlertFormat.FormatKind, "Revoked" },
        { "defender-xdr-incident.json", GraphIncidentFormat.FormatKind, "Revoked" },
        // A CloudEvents batch is one request per event.
        { "eventgrid-cloudevents-batch.json[0]", CloudEventFormat.FormatKind, "Revoked" },
        { "eventgrid-cloudevents-batch.json[1]", CloudEventFormat.FormatKind, "Revoked" },
        { "hr-leaver-future.json", HrLeaverFormat.FormatKind, "Deferred" },
        { "hr-leaver-rescheduled.json", HrLeaverFormat.FormatKind, "Deferred" },
        { "hr-leaver-rescinded.json", HrLeaverFormat.FormatKind, "Cancelled" },
        { "hr-leaver.json", HrLeaverFormat.FormatKind, "Revoked" },
        { "plain-request-list.json", NativeRequestFormat.FormatKind, "Revoked" },
        { "plain-request.json", NativeRequestFormat.FormatKind, "Revoked" },
        { "risk-detection-beta.json", RiskDetectionFormat.FormatKind, "Revoked" },
        { "risk-detection.json", RiskDetectionFormat.FormatKind, "Revoked" },
        { "risky-users.json", RiskyUserFormat.FormatKind, "Revoked" },
        { "sentinel-alert.json", SentinelAlertFormat.FormatKind, "Revoked" },
        { "sentinel-incident-trigger.json", SentinelIncidentFormat.FormatKind, "Revoked" },
        { "sentinel-incident.json", SentinelIncidentFormat.FormatKind, "Revoked" },
    };

    private static readonly Lazy<Task<(int Exit, string Output, string Error, string Table)>> Run = new(RunScriptAsync);

    private static async Task<(int Exit, string Output, string Error, string Table)> RunScriptAsync()
    {
        var table = TestEnvironment.NewTableName();
        var stormTable = TestEnvironment.NewTableName();
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        start.ArgumentList.Add(Path.Combine(TestPaths.RepositoryRoot, "eng", "run-local.sh"));
        start.Environment["REVOKE_CLI_DLL"] = Path.Combine(AppContext.BaseDirectory, "revoke.dll");
        start.Environment["Ledger__TableName"] = table;
        start.Environment["Guards__StormGuard__TableName"] = stormTable;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        var result = (process.ExitCode, (await stdout).ReplaceLineEndings("\n"), await stderr, table);
        var tables = new TableServiceClient("UseDevelopmentStorage=true");
        foreach (var name in new[] { table, stormTable })
        {
            try
            {
                await tables.DeleteTableAsync(name);
            }
            catch (RequestFailedException)
            {
                // Never created: nothing was recorded there.
            }
        }
        return result;
    }

    [Fact]
    public async Task The_local_run_succeeds_and_prints_the_ledger_rows_of_every_request()
    {
        var (exit, output, error, table) = await Run.Value;

        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains($"== Ledger: table '{table}'", output, StringComparison.Ordinal);
        var ledger = output[output.IndexOf("== Ledger", StringComparison.Ordinal)..];
        var requests = output.Split('\n').Where(l => l.StartsWith("== ", StringComparison.Ordinal) && l.Contains(", request ", StringComparison.Ordinal))
            .Select(l => l[(l.LastIndexOf(' ') + 1)..]).ToList();
        Assert.Equal(Samples.Count, requests.Count);
        // Every request's rows come back from the ledger, each ending in the ledger's own summary line.
        Assert.All(requests, id => Assert.Matches($@"request {id}: \d+ target\(s\) from ", ledger));
        Assert.Contains("Done:", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Each_sample_kind_ends_as_expected(string sample, string kind, string outcome)
    {
        var (_, output, error, _) = await Run.Value;

        var header = output.Split('\n').SingleOrDefault(l => l.StartsWith($"== {sample}: ", StringComparison.Ordinal));
        Assert.True(header is not null, $"no run of {sample}\n{output}\n{error}");
        Assert.StartsWith($"== {sample}: {kind}, request ", header, StringComparison.Ordinal);
        var block = output[(output.IndexOf(header, StringComparison.Ordinal) + header.Length)..];
        block = block[..block.IndexOf("\nrequest ", StringComparison.Ordinal)];
        var rows = block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Contains($"  {outcome}  ", row, StringComparison.Ordinal));
    }
}
