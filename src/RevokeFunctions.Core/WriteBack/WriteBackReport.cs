namespace RevokeFunctions.WriteBack;

/// <summary>What a dispatch did, channel by channel; the record in the ledger's table holds the same.</summary>
public sealed record WriteBackReport(string? Key, IReadOnlyList<ChannelOutcome> Channels)
{
    public static WriteBackReport Nothing { get; } = new(null, []);

    public ChannelOutcome? For(WriteBackChannel channel) => Channels.FirstOrDefault(c => c.Channel == channel);

    public bool AnyFailed => Channels.Any(c => c.Status == ChannelStatus.Failed);
}
