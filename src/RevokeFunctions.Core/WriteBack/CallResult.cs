namespace RevokeFunctions.WriteBack;

/// <summary>How one write-back call ended: done, or its problem and how long the other side asked us to wait.</summary>
public sealed record CallResult(bool Succeeded, string? Problem, TimeSpan? RetryAfter = null)
{
    public static CallResult Success { get; } = new(true, null);
}
