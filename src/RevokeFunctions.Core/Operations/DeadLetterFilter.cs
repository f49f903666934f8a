namespace RevokeFunctions.Operations;

/// <summary>Which dead letters an operator command is about. Every criterion given must hold; none given means all.</summary>
/// <param name="SequenceNumber">Exactly this letter.</param>
/// <param name="Reason">Letters whose reason, or one of whose users' reasons, is this code.</param>
/// <param name="Since">Letters enqueued at or after this time.</param>
public sealed record DeadLetterFilter(long? SequenceNumber = null, string? Reason = null, DateTimeOffset? Since = null)
{
    public static DeadLetterFilter All { get; } = new();

    public bool Matches(DeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return (SequenceNumber is not { } sequence || letter.SequenceNumber == sequence)
            && (Reason is not { Length: > 0 } reason || letter.HasReason(reason))
            && (Since is not { } since || letter.EnqueuedTime >= since);
    }
}
