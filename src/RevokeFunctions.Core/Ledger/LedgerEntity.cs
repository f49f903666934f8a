using Azure.Data.Tables;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.Ledger;

/// <summary>
/// The ledger's two kinds of Table storage entity. A target row (partition <c>s-…</c>, the idempotency scope) holds
/// the record; a link (partition <c>r-&lt;requestId&gt;</c>) points a request at each row it touched, which is what the
/// status API lists. Column names are the ledger's schema: add, never rename.
/// </summary>
internal static class LedgerEntity
{
    /// <summary>Table storage takes 32K characters per string property; the ledger keeps far less.</summary>
    private const int MaxText = 4000;

    public static TableEntity ToRow(LedgerEntry entry)
    {
        var row = new TableEntity(entry.Key.PartitionKey, entry.Key.RowKey)
        {
            ["RequestId"] = entry.RequestId,
            ["LastRequestId"] = entry.LastRequestId,
            ["Channel"] = entry.Channel.ToString(),
            ["Scope"] = entry.ScopeKind.ToString(),
            ["IdempotencyKey"] = Cap(entry.IdempotencyKey),
            ["SourceKind"] = entry.Source.Kind,
            ["SourceId"] = Cap(entry.Source.Id),
            ["SourceNumber"] = Cap(entry.Source.Number),
            ["SourceUrl"] = Cap(entry.Source.Url),
            ["SourceSeverity"] = Cap(entry.Source.Severity),
            ["SourceTitle"] = Cap(entry.Source.Title),
            ["EventTime"] = entry.EventTime,
            ["Requester"] = Cap(entry.Requester),
            ["RequestedByNote"] = Cap(entry.RequestedByNote),
            ["RequestReason"] = Cap(entry.RequestReason),
            ["Given"] = Cap(entry.Given),
            ["TargetKey"] = Cap(entry.TargetKey),
            ["UserId"] = entry.UserId,
            ["UserPrincipalName"] = entry.UserPrincipalName,
            ["State"] = entry.State.ToString(),
            ["Outcome"] = entry.Outcome?.ToString(),
            ["ReasonCode"] = entry.Reason?.ToString(),
            ["Detail"] = Cap(entry.Detail),
            ["IsTransient"] = entry.IsTransient,
            ["NotBefore"] = entry.NotBefore,
            ["Attempts"] = entry.Attempts,
            ["LeaverMessage"] = entry.LeaverMessage,
            ["SupersededBy"] = entry.SupersededBy,
            ["CancelledBy"] = entry.CancelledBy,
            ["GraphRequestId"] = entry.GraphRequestId,
            ["ClaimedAt"] = entry.ClaimedAt,
            ["ClaimedBy"] = entry.ClaimedBy,
            ["CreatedAt"] = entry.CreatedAt,
            ["UpdatedAt"] = entry.UpdatedAt,
            ["RevokedAt"] = entry.RevokedAt,
        };
        WriteVerification(row, entry.Verification);
        return row;
    }

    public static LedgerEntry FromRow(TableEntity row) =>
        new(new LedgerKey(row.PartitionKey, row.RowKey), row.GetString("RequestId") ?? "", Enum<LedgerState>(row, "State") ?? LedgerState.Received)
        {
            LastRequestId = row.GetString("LastRequestId"),
            Channel = Enum<RequestChannel>(row, "Channel") ?? RequestChannel.Http,
            ScopeKind = Enum<LedgerScopeKind>(row, "Scope") ?? LedgerScopeKind.Request,
            IdempotencyKey = row.GetString("IdempotencyKey"),
            Source = new SourceReference(
                row.GetString("SourceKind") ?? "unknown",
                Id: row.GetString("SourceId"),
                Number: row.GetString("SourceNumber"),
                Url: row.GetString("SourceUrl"),
                Severity: row.GetString("SourceSeverity"),
                Title: row.GetString("SourceTitle")),
            EventTime = row.GetDateTimeOffset("EventTime") ?? default,
            Requester = row.GetString("Requester"),
            RequestedByNote = row.GetString("RequestedByNote"),
            RequestReason = row.GetString("RequestReason"),
            Given = row.GetString("Given"),
            TargetKey = row.GetString("TargetKey"),
            UserId = row.GetString("UserId"),
            UserPrincipalName = row.GetString("UserPrincipalName"),
            Outcome = Enum<Outcome>(row, "Outcome"),
            Reason = Enum<ReasonCode>(row, "ReasonCode"),
            Detail = row.GetString("Detail"),
            IsTransient = row.GetBoolean("IsTransient") ?? false,
            NotBefore = row.GetDateTimeOffset("NotBefore"),
            Attempts = row.GetInt32("Attempts") ?? 0,
            LeaverMessage = row.GetString("LeaverMessage"),
            SupersededBy = row.GetString("SupersededBy"),
            CancelledBy = row.GetString("CancelledBy"),
            GraphRequestId = row.GetString("GraphRequestId"),
            ClaimedAt = row.GetDateTimeOffset("ClaimedAt"),
            ClaimedBy = row.GetString("ClaimedBy"),
            CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
            RevokedAt = row.GetDateTimeOffset("RevokedAt"),
            Verification = Enum<VerificationState>(row, "Verification") is { } proof
                ? new VerificationStatus(proof, row.GetDateTimeOffset("SessionsValidFrom"), row.GetDateTimeOffset("VerifiedAt"))
                : null,
            ETag = row.ETag,
        };

    /// <summary>The proof's columns, as the pipeline writes them with the outcome and the verification merges them later.</summary>
    public static void WriteVerification(TableEntity row, VerificationStatus? verification)
    {
        ArgumentNullException.ThrowIfNull(row);
        row["Verification"] = verification?.State.ToString();
        row["SessionsValidFrom"] = verification?.SessionsValidFrom;
        row["VerifiedAt"] = verification?.VerifiedAt;
    }

    public static TableEntity ToLink(string requestId, LedgerEntry entry, DateTimeOffset now) =>
        new(LedgerScope.RequestPartition(requestId), entry.Key.RowKey)
        {
            ["RequestId"] = requestId,
            ["RowPartitionKey"] = entry.Key.PartitionKey,
            ["Position"] = entry.Position,
            ["Given"] = Cap(entry.Given),
            ["UpdatedAt"] = now,
        };

    public static (LedgerKey Row, int Position, string? Given) FromLink(TableEntity link) =>
        (new LedgerKey(link.GetString("RowPartitionKey") ?? "", link.RowKey), link.GetInt32("Position") ?? 0, link.GetString("Given"));

    private static string? Cap(string? value) => value is { Length: > MaxText } ? value[..MaxText] + "…" : value;

    private static T? Enum<T>(TableEntity row, string column)
        where T : struct, Enum =>
        System.Enum.TryParse<T>(row.GetString(column), ignoreCase: false, out var value) ? value : null;
}
