namespace RevokeFunctions.Verification;

/// <summary>The proof as recorded for one revoked target.</summary>
/// <param name="SessionsValidFrom">The last <c>signInSessionsValidFromDateTime</c> read back; null before any read.</param>
/// <param name="VerifiedAt">When the read-back showed the revocation (our clock); null unless verified.</param>
public sealed record VerificationStatus(VerificationState State, DateTimeOffset? SessionsValidFrom = null, DateTimeOffset? VerifiedAt = null)
{
    public static VerificationStatus Pending { get; } = new(VerificationState.Pending);

    /// <summary>For the <c>verified</c> field: true, false once flagged, null while unknown.</summary>
    public bool? Verified => State switch
    {
        VerificationState.Verified => true,
        VerificationState.Unverified => false,
        _ => null,
    };
}
