namespace RevokeFunctions.WriteBack;

/// <summary>One channel's result of a dispatch.</summary>
public sealed record ChannelOutcome(WriteBackChannel Channel, ChannelStatus Status, int Attempts = 0, string? Problem = null);
