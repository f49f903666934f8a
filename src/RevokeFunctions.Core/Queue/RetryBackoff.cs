using Microsoft.Extensions.Options;

namespace RevokeFunctions.Queue;

/// <summary>
/// When the next attempt is due: <c>BackoffBase × 2^(attempt-1)</c> capped at <c>BackoffMax</c>, plus jitter; a longer
/// Retry-After from Graph wins, because coming back earlier only earns another 429.
/// </summary>
public sealed class RetryBackoff(IOptions<QueueOptions> options, TimeProvider time)
{
    public int MaxAttempts => options.Value.MaxAttempts;

    /// <summary>The delay after <paramref name="failedAttempt"/> (1-based) failed.</summary>
    public TimeSpan DelayAfter(int failedAttempt, TimeSpan? retryAfter)
    {
        var settings = options.Value;
        var exponent = Math.Clamp(failedAttempt - 1, 0, 30);
        var doubled = settings.BackoffBase.TotalSeconds * Math.Pow(2, exponent);
        var delay = TimeSpan.FromSeconds(Math.Min(doubled, settings.BackoffMax.TotalSeconds));
        // Jitter only lengthens: a retry never comes before the backoff or Retry-After it honours.
        delay += delay * (settings.BackoffJitter * Random.Shared.NextDouble());
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    public DateTimeOffset DueAfter(int failedAttempt, TimeSpan? retryAfter) => time.GetUtcNow() + DelayAfter(failedAttempt, retryAfter);
}
