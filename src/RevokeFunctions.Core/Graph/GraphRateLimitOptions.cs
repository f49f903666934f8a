using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Graph;

/// <summary>
/// The client-side Graph rate limit (section <c>Graph:RateLimit</c>). The defaults are Microsoft Graph's identity and
/// access limits per app per tenant: 3,000 writes per 2 min 30 s, and 3,500 resource units per 10 s (the smallest tenant
/// size; 5,000 from 50 users, 8,000 from 500). Each quota is a window Graph may count as sliding, so the limiter never
/// lets more than <c>Limit</c> through in any window: it refills at (<c>Limit</c> − <c>Burst</c>) ÷ <c>Window</c> and
/// holds at most <c>Burst</c> in reserve. The limits are the whole app's: instances that share the ledger's storage
/// account divide them among themselves (<see cref="Shared"/>, <see cref="GraphBudget"/>), so nobody divides by an
/// instance count.
/// </summary>
public sealed class GraphRateLimitOptions : IValidatableObject
{
    public const string SectionName = "Graph:RateLimit";

    /// <summary>Off only for diagnosis: without it a mass incident meets Graph's 429s instead of pacing itself.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Writes (revokeSignInSessions, PATCH, …) Graph accepts per <see cref="WriteWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int WriteLimit { get; set; } = 3_000;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan WriteWindow { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>Writes that may go at once after a quiet spell; the sustained rate is what is left of the limit.</summary>
    [Range(1, 1_000_000)]
    public int WriteBurst { get; set; } = 20;

    /// <summary>Resource units Graph grants per <see cref="ResourceUnitWindow"/>; every call costs at least one.</summary>
    [Range(1, 10_000_000)]
    public int ResourceUnitLimit { get; set; } = 3_500;

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ResourceUnitWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Units that may be spent at once after a quiet spell. A call costing more waits for this many.</summary>
    [Range(1, 10_000_000)]
    public int ResourceUnitBurst { get; set; } = 350;

    /// <summary>
    /// Calls allowed to wait for the limiter at once. Beyond it a call is answered 429 at once, as Graph would answer it,
    /// rather than queue without bound; callers' bounded concurrency normally keeps the queue far below this.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueuedCalls { get; set; } = 1_000;

    /// <summary>How the instances of one deployment share these limits (section <c>Graph:RateLimit:Shared</c>).</summary>
    public GraphBudgetOptions Shared { get; set; } = new();

    /// <summary>Sustained writes per second the limiter allows.</summary>
    public double WritesPerSecond => (WriteLimit - WriteBurst) / WriteWindow.TotalSeconds;

    /// <summary>Sustained resource units per second the limiter allows.</summary>
    public double ResourceUnitsPerSecond => (ResourceUnitLimit - ResourceUnitBurst) / ResourceUnitWindow.TotalSeconds;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Data annotations do not reach into nested options by themselves.
        var shared = new List<ValidationResult>();
        if (!Validator.TryValidateObject(Shared ?? new(), new ValidationContext(Shared ?? new()), shared, validateAllProperties: true))
        {
            foreach (var result in shared)
                yield return new ValidationResult($"{SectionName}:Shared: {result.ErrorMessage}", [.. result.MemberNames.Select(m => "Shared:" + m)]);
        }
        if (WriteBurst >= WriteLimit)
        {
            yield return new ValidationResult(
                $"{SectionName}:WriteBurst ({WriteBurst}) must be below WriteLimit ({WriteLimit}); the rest of the limit is the sustained rate.",
                [nameof(WriteBurst)]);
        }
        if (ResourceUnitBurst >= ResourceUnitLimit)
        {
            yield return new ValidationResult(
                $"{SectionName}:ResourceUnitBurst ({ResourceUnitBurst}) must be below ResourceUnitLimit ({ResourceUnitLimit}).",
                [nameof(ResourceUnitBurst)]);
        }
    }
}
