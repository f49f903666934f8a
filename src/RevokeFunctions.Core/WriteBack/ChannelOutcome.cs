namespace RevokeFunctions.WriteBack;

/// <summary>One channel's result of a delivery.</summary>
/// <param name="Attempts">The delivery (1 for the first) that ended this way; each delivery's call is retried inside.</param>
/// <param name="RetryAfter">How long the other side asked to wait before the next try, if it said.</param>
public sealed record ChannelOutcome(WriteBackChannel Channel, ChannelStatus Status, int Attempts = 0, string? Problem = null, TimeSpan? RetryAfter = null);
