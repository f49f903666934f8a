namespace RevokeFunctions.WriteBack;

/// <summary>A channel's last state in the record.</summary>
/// <param name="Digest">Hash of what was last posted, so the same text is not posted again.</param>
internal sealed record ChannelRecord(ChannelStatus Status, string? Digest, int Attempts, string? Problem, DateTimeOffset At);
