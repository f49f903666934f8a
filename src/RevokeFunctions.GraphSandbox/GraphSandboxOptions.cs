namespace RevokeFunctions.GraphSandbox;

/// <summary>Knobs of a running sandbox. Every request reads them afresh, so a test may change them between calls.</summary>
public sealed class GraphSandboxOptions
{
    private double timeScale = 1.0;

    /// <summary>Added to every request before anything else happens (awaited, never blocking a thread).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// Graph's per-app write limit: revokeSignInSessions and PATCH within a sliding one-second window. Null = off.
    /// Beyond it: 429 with Retry-After.
    /// </summary>
    public int? WriteLimitPerSecond { get; set; }

    /// <summary>
    /// Graph's resource-unit budget over a sliding ten-second window. Null = off. Costs: GET by key 1, list 2, a write 1,
    /// checkMemberGroups 1. Beyond it: 429 with Retry-After.
    /// </summary>
    public int? ResourceUnitsPer10Seconds { get; set; }

    /// <summary>
    /// Graph's replication lag: a revocation's new <c>signInSessionsValidFromDateTime</c> shows in reads only this long
    /// after the call was answered. Zero (the default) shows it at once.
    /// </summary>
    public TimeSpan SessionsValidFromLag { get; set; }

    /// <summary>
    /// The same lag counted in reads: this many reads of the user after a revocation still show the old timestamp (with
    /// <see cref="SessionsValidFromLag"/> too, both must pass). Deterministic, for tests that must not wait.
    /// </summary>
    public int SessionsValidFromStaleReads { get; set; }

    /// <summary>
    /// Revocations answer 200 <c>true</c> but the timestamp never moves: Graph's documented known issue, for proving
    /// that an unapplied revocation is flagged.
    /// </summary>
    public bool SessionsValidFromFrozen { get; set; }

    /// <summary>
    /// Multiplies the throttling windows (0.1 = ten times shorter) so a benchmark can hit the limits without waiting
    /// real seconds. Retry-After stays whole seconds (at least 1); the exact wait is also sent as <c>retry-after-ms</c>.
    /// </summary>
    public double TimeScale
    {
        get => timeScale;
        set
        {
            if (!double.IsFinite(value) || value <= 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "TimeScale must be a positive, finite number.");
            timeScale = value;
        }
    }
}
