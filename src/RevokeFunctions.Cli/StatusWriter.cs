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
            Time(t.UpdatedAt), Proof(t), t.Detail ?? "",
        }).ToList();
        await PlainTable.WriteAsync(header, rows, output);
        foreach (var target in targets)
        {
            if (target.Plan is { } plan)
                await output.WriteLineAsync($"{target.User ?? target.UserId ?? "-"}: {Describe(requestId, plan)}");
        }
        var source = targets[0].Source;
        var origin = source.Id is { Length: > 0 } id ? $"{source.Kind} {id}" : source.Kind;
        await output.WriteLineAsync($"request {requestId}: {targets.Count} target(s) from {origin}");
    }

    /// <summary>One line on an HR message's place in the employee's plan: state, due time, superseded or cancelled by.</summary>
    private static string Describe(string requestId, Leavers.LeaverPlanStatus plan)
    {
        var text = new System.Text.StringBuilder(plan.Message).Append(' ').Append(plan.State);
        if (plan.DueAt is { } due)
            text.Append(", due ").Append(Time(due));
        if (plan.SupersededBy is { } superseded)
            text.Append(", superseded by ").Append(superseded);
        if (plan.CancelledBy is { } cancelled)
            text.Append(", cancelled by ").Append(cancelled);
        if (plan.Rescinds is { } rescinded)
            text.Append(", cancels ").Append(rescinded);
        if (plan.CurrentRequestId is { } current && current != requestId && current != plan.SupersededBy && current != plan.CancelledBy)
            text.Append("; plan now: request ").Append(current).Append(plan.CurrentDueAt is { } at ? ", due " + Time(at) : "");
        return text.ToString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The proof in one cell: Graph's timestamp read back, or where the check stands.</summary>
    private static string Proof(TargetStatus target) => target.Verification switch
    {
        null => "-",
        "Verified" when target.SessionsValidFrom is { } at => "yes, " + Time(at),
        "Unverified" => "NO (look)",
        { } state => state,
    };
}
