using Azure;

namespace RevokeFunctions.WriteBack;

/// <summary>One outbox row: a request whose write-back is due, how often delivery was tried, and the row's ETag.</summary>
internal sealed record OutboxEntry(WriteBackKey Key, string RequestId, int Deliveries, ETag ETag)
{
    /// <summary>The decision the row was scheduled for: the record must show it before it is delivered.</summary>
    public string? DecisionId { get; init; }
}
