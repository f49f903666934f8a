using RevokeFunctions.Requests;

namespace RevokeFunctions.Ledger;

/// <summary>
/// One target of a request as the ledger records it: an item of <c>GET /api/revocations/{requestId}</c> and a line of
/// <c>revoke status --output json</c>. Add fields, never rename.
/// </summary>
/// <param name="User">The user as the request gave it.</param>
/// <param name="State">The ledger state: <c>Received</c>, <c>Revoking</c>, or the outcome it ended in.</param>
/// <param name="Outcome">The last decided outcome; null while nothing has been decided.</param>
public sealed record TargetStatus(string? User, string? UserId, string State, string? Outcome, string? Reason, string? Detail)
{
    public DateTimeOffset? NotBefore { get; init; }

    public required SourceReference Source { get; init; }

    public DateTimeOffset EventTime { get; init; }

    public string? Requester { get; init; }

    /// <summary>Revocation calls made for this target (claims of the row).</summary>
    public int Attempts { get; init; }

    public string? GraphRequestId { get; init; }

    /// <summary>The request that first recorded the target; differs from the one asked about when that one was a repeat.</summary>
    public required string FirstRequestId { get; init; }

    public string? LastRequestId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the last revocation call started (our clock); null when none was made.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>
    /// The proof: <c>Pending</c>, <c>Verified</c>, <c>Unverified</c> (Graph's timestamp never moved: look at the user)
    /// or <c>NotScheduled</c> (the check could not be recorded); null where nothing was revoked.
    /// </summary>
    public string? Verification { get; init; }

    /// <summary>True once proven, false once flagged unverified, null otherwise.</summary>
    public bool? Verified { get; init; }

    /// <summary>Graph's <c>signInSessionsValidFromDateTime</c> as read back by the verification.</summary>
    public DateTimeOffset? SessionsValidFrom { get; init; }

    /// <summary>When the read-back showed the revocation.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>For an HR leaver or rescind: its place in the employee's plan (due time, superseded by, cancelled by); null otherwise.</summary>
    public Leavers.LeaverPlanStatus? Plan { get; init; }

    public static TargetStatus From(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new TargetStatus(entry.Given, entry.UserId, entry.State.ToString(), entry.Outcome?.ToString(), entry.Reason?.ToString(), entry.Detail)
        {
            NotBefore = entry.NotBefore,
            Source = entry.Source,
            EventTime = entry.EventTime,
            Requester = entry.Requester,
            Attempts = entry.Attempts,
            GraphRequestId = entry.GraphRequestId,
            FirstRequestId = entry.RequestId,
            LastRequestId = entry.LastRequestId,
            CreatedAt = entry.CreatedAt,
            UpdatedAt = entry.UpdatedAt,
            RevokedAt = entry.RevokedAt,
            Verification = entry.Verification?.State.ToString(),
            Verified = entry.Verification?.Verified,
            SessionsValidFrom = entry.Verification?.SessionsValidFrom,
            VerifiedAt = entry.Verification?.VerifiedAt,
        };
    }
}
