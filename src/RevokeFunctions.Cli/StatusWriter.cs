using System.Globalization;
using System.Text.Json;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Cli;

/// <summary>
/// Prints a request's ledger rows. JSON: one <see cref="TargetStatus"/> per target per line, the same objects as the
/// status API's <c>targets</c>. Table: for people.
/// </summary>
public static class StatusWriter
{
    public static async Task WriteAsync(string requestId, IReadOnlyList<TargetStatus> targets, OutputFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(output);
        if (format == OutputFormat.Json)
        {
            foreach (var target in targets)
                await output.WriteLineAsync(JsonSerializer.Serialize(target, LedgerJsonContext.Default.TargetStatus));
            return;
        }

        string[] header = ["USER", "USER ID", "STATE", "REASON", "ATTEMPTS", "UPDATED", "VERIFIED", "DETAIL"];
        var rows = targets.Select(t => new[]
        {
            t.User ?? "-", t.UserId ?? "-", t.State, t.Reason ?? "-", t.Attempts.ToString(CultureInfo.InvariantCulture),
            t.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), Proof(t), t.Detail ?? "",
        }).ToList();
        await PlainTable.WriteAsync(header, rows, output);
        var source = targets[0].Source;
        var origin = source.Id is { Length: > 0 } id ? $"{source.Kind} {id}" : source.Kind;
        await output.WriteLineAsync($"request {requestId}: {targets.Count} target(s) from {origin}");
    }

    /// <summary>The proof in one cell: Graph's timestamp read back, or where the check stands.</summary>
    private static string Proof(TargetStatus target) => target.Verification switch
    {
        null => "-",
        "Verified" when target.SessionsValidFrom is { } at => "yes, " + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        "Unverified" => "NO (look)",
        { } state => state,
    };
}
