namespace RevokeFunctions.Queue;

/// <summary>
/// The outcome of one attempt for the queue: copies to send first (retries, scheduled leavers), then one settlement of
/// the message in hand: dead-letter when <see cref="DeadLetter"/> is set, complete otherwise.
/// </summary>
public sealed record SettlementPlan(IReadOnlyList<QueuedRevocation> FollowUps, DeadLetterNotice? DeadLetter);
