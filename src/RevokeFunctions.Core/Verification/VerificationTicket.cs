using RevokeFunctions.Ledger;

namespace RevokeFunctions.Verification;

/// <summary>
/// One revocation to prove: who, when it started (our clock, just before the Graph call), the timestamp Graph showed
/// before it, and where the proof goes (the ledger row, the write-back line).
/// </summary>
/// <param name="PreviousValidFrom">The user's <c>signInSessionsValidFromDateTime</c> as resolved before the revocation.</param>
public sealed record VerificationTicket(string RequestId, string UserId, DateTimeOffset RevokedAt, DateTimeOffset? PreviousValidFrom)
{
    /// <summary>The ledger row to record the proof in; null when no ledger is kept.</summary>
    public LedgerKey? LedgerRow { get; init; }

    /// <summary>The write-back record's key and the target's line in it, so comments and the webhook tell the proof.</summary>
    public string? WriteBackKey { get; init; }

    public string? TargetKey { get; init; }

    /// <summary>The user as a reader knows them, for logs (formatted by the caller's rules) and notifications.</summary>
    public string? UserPrincipalName { get; init; }

    public string SourceKind { get; init; } = "unknown";

    /// <summary>Reads made so far.</summary>
    public int Checks { get; init; }

    /// <summary>The last value read back.</summary>
    public DateTimeOffset? LastValidFrom { get; init; }

    /// <summary>
    /// Whether Graph's timestamp proves this revocation: at or after its start less the clock-skew allowance, and moved
    /// past the value read before it (when there was one), so neither a slow directory clock nor an earlier revocation
    /// within the allowance decides wrongly.
    /// </summary>
    public bool IsProvedBy(DateTimeOffset? validFrom, TimeSpan clockSkew)
    {
        if (validFrom is not { } value)
            return false;
        // Graph keeps whole seconds: a revocation started at 12:00:00.700 may read back as 12:00:00.
        var start = new DateTimeOffset(RevokedAt.UtcTicks - (RevokedAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return value >= start - clockSkew && (PreviousValidFrom is not { } before || value > before);
    }
}
