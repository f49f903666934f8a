using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Revocation;

/// <summary>How the pipeline works through a payload (section <c>Revocation</c>).</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "Revocation";

    /// <summary>Targets of one payload worked on at once; Graph's write limit, not this, is the real ceiling.</summary>
    [Range(1, 64)]
    public int MaxConcurrentTargets { get; set; } = 8;

    /// <summary>
    /// A user is <c>AlreadyRevoked</c> only when Graph's <c>signInSessionsValidFromDateTime</c> is at or after both the
    /// event and the request's first receipt less this window: alert storms about one event collapse, while an old
    /// revocation never stands in for a new request (a back-dated leaver, a session opened since).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long an idempotency key stays bound to the body it first came with: the same key and body within it are a
    /// replay, another body is refused (<c>IdempotencyKeyReused</c>); after it the key names a new request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyKeyWindow { get; set; } = TimeSpan.FromHours(24);
}
