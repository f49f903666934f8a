namespace RevokeFunctions.Queue;

/// <summary>A message the app puts on the revocation queue: a retry, a scheduled leaver, or an HTTP request handed over.</summary>
/// <param name="MessageId">Deterministic per step, so Service Bus duplicate detection drops a copy sent twice.</param>
/// <param name="Body">The original payload, unchanged: every retry parses exactly what the submitter sent.</param>
/// <param name="Envelope">Identity and progress, written as application properties.</param>
/// <param name="ScheduledFor">When it becomes visible; null sends it at once.</param>
public sealed record QueuedRevocation(string MessageId, BinaryData Body, RevocationEnvelope Envelope, DateTimeOffset? ScheduledFor)
{
    /// <summary>Why the copy exists (<c>retry</c>, <c>deferred</c>, <c>http-retry</c>, ...), shown as the message's Subject.</summary>
    public string? Subject { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>The submitter's own application properties, carried over so its tooling still recognises the message.</summary>
    public IReadOnlyDictionary<string, object>? CarriedProperties { get; init; }
}
