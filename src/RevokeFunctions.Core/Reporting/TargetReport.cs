using System.Text.Json.Serialization;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Reporting;

/// <summary>
/// One target's result as callers see it: the CLI's <c>--output json</c> line and an item of the HTTP result.
/// <c>user</c>, <c>userId</c>, <c>outcome</c>, <c>reason</c>, <c>detail</c> are a contract: always present, null when empty.
/// </summary>
public sealed record TargetReport(string? User, string? UserId, string Outcome, string? Reason, string? Detail)
{
    /// <summary>For deferred targets: when the revocation is due.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>What the caller should know beside the outcome: today only that the ledger has not recorded it yet.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Warning { get; init; }

    /// <summary>
    /// The revocation proven by Graph's timestamp read back: true, false once flagged unverified, null where nothing was
    /// revoked or the proof is not in yet (an HTTP answer never waits for it: the status API shows it). Always present.
    /// </summary>
    public bool? Verified { get; init; }

    /// <summary>Graph's <c>signInSessionsValidFromDateTime</c> as read back (ISO 8601), or null. Always present.</summary>
    public DateTimeOffset? SessionsValidFrom { get; init; }

    public const string LedgerPendingWarning =
        "The outcome stands, but the revocation ledger could not record it: it is in the app's audit log, and the ledger "
        + "record is completed when the request is retried.";

    public static TargetReport From(TargetResult result) =>
        new(result.Given, result.UserId, result.Outcome.ToString(), result.Reason?.ToString(), result.Detail)
        {
            NotBefore = result.NotBefore,
            Warning = result.LedgerPending ? LedgerPendingWarning : null,
            Verified = result.Verification?.Verified,
            SessionsValidFrom = result.Verification?.SessionsValidFrom,
        };

    public static TargetReport FromInvalid(Requests.PayloadError error) =>
        new(null, null, nameof(Revocation.Outcome.Invalid), error.Reason.ToString(), error.Detail);
}
