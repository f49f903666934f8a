using System.Text.Json;
using RevokeFunctions.Reporting;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Cli;

/// <summary>
/// Prints results. JSON: one object per target per line, exactly the <see cref="TargetReport"/> contract, so scripts and
/// acceptance checks can read it line by line. Table: for people.
/// </summary>
public static class ResultWriter
{
    public static async Task WriteAsync(RevocationResult result, OutputFormat format, TextWriter output)
    {
        var reports = result.Error is { } error
            ? [TargetReport.FromInvalid(error)]
            : result.Targets.Select(TargetReport.From).ToList();

        if (format == OutputFormat.Json)
        {
            foreach (var report in reports)
                await output.WriteLineAsync(JsonSerializer.Serialize(report, ReportJsonContext.Default.TargetReport));
            return;
        }

        string[] header = ["USER", "USER ID", "OUTCOME", "REASON", "VERIFIED", "DETAIL"];
        var rows = reports.Select(r => new[] { r.User ?? "-", r.UserId ?? "-", r.Outcome, r.Reason ?? "-", Proof(r), r.Detail ?? "" }).ToList();
        await PlainTable.WriteAsync(header, rows, output);
        await output.WriteLineAsync($"request {result.RequestId}");
    }

    /// <summary>The proof in one cell: the timestamp Graph showed, NO when it never moved, - where nothing was revoked.</summary>
    private static string Proof(TargetReport report) => report.Verified switch
    {
        true => "yes, " + report.SessionsValidFrom?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        false => "NO (look)",
        null => "-",
    };
}
