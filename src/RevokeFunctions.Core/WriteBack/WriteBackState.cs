using RevokeFunctions.Requests;

namespace RevokeFunctions.WriteBack;

/// <summary>Everything the record holds for one request.</summary>
/// <param name="Available">False when the record could not be read: nothing can be known to be done already.</param>
/// <param name="RequestId">The first request recorded under the key; comments name it whichever retry writes them.</param>
internal sealed record WriteBackState(
    bool Available,
    string? RequestId,
    IReadOnlyDictionary<string, RecordedLine> Lines,
    IReadOnlyDictionary<WriteBackChannel, ChannelRecord> Channels,
    bool RefusalNotified)
{
    /// <summary>The request's source as recorded, for the delivery (which has no payload).</summary>
    public SourceReference? Source { get; init; }

    /// <summary>The refusal of the whole payload, if it was refused.</summary>
    public PayloadError? Error { get; init; }

    /// <summary>The dead letter the request's message ended in, if it did.</summary>
    public RecordedDeadLetter? DeadLetter { get; init; }

    /// <summary>A decision was recorded that no delivery has finished yet.</summary>
    public bool Undelivered { get; init; }

    /// <summary>The last decision recorded, so a delivery does not clear a newer decision's mark.</summary>
    public string? DecisionId { get; init; }

    public static WriteBackState Unavailable { get; } = new(false, null, new Dictionary<string, RecordedLine>(), new Dictionary<WriteBackChannel, ChannelRecord>(), false);
}
