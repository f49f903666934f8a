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
    public static WriteBackState Unavailable { get; } = new(false, null, new Dictionary<string, RecordedLine>(), new Dictionary<WriteBackChannel, ChannelRecord>(), false);
}
