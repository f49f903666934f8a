using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Verification;

/// <summary>
/// Proof that a revocation took effect (section <c>Revocation:Verification</c>): Graph answers revokeSignInSessions
/// with <c>true</c> whatever happened, so after each one the user's <c>signInSessionsValidFromDateTime</c> is read back
/// until it shows the revocation, every <see cref="Interval"/> for at most <see cref="Timeout"/>.
/// </summary>
public sealed class VerificationOptions
{
    public const string SectionName = "Revocation:Verification";

    /// <summary>On by default: one Graph read per revocation and check (resource units, no write quota).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long the directory may take to show the revocation (its replication lag) before the revocation is flagged
    /// <see cref="VerificationState.Unverified"/> for a person to look at.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait between two reads of one user; the first read is one interval after the revocation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far the directory's clock may be behind ours. The timestamp Graph writes is on its clock and the revocation's
    /// start on ours: a timestamp up to this much before the start still counts, provided it also moved past the value
    /// read before the revocation (so an earlier revocation within the allowance never passes for ours).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
