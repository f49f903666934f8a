using Azure;

namespace RevokeFunctions.Leavers;

/// <summary>
/// An employee's one current leaver plan, as the last HR message that won decided it: one row per user (partition
/// <c>p-&lt;hash of the object ID&gt;</c> in the ledger's table), replaced only with its ETag, so of two instances deciding
/// at once only one wins and the other decides again on what it wrote.
/// </summary>
/// <param name="UserId">The employee's object ID: every identifier HR sends (employee ID, UPN) resolves to it.</param>
/// <param name="CurrentRequestId">The request whose message is the plan now (a leaver, or the rescind that cancelled it).</param>
public sealed record LeaverPlan(string UserId, string CurrentRequestId, LeaverAction Action, LeaverPlanState State)
{
    /// <summary>The HR ticket of the current message.</summary>
    public string? Ticket { get; init; }

    /// <summary>The current message's <c>submittedAt</c>, when it had one.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When the current message's request first arrived: its order when it has no <c>submittedAt</c>.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>For a leaver: its effective date, when the revocation is due.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>For <see cref="LeaverPlanState.Executing"/>: when the attempt claimed the plan, right before calling Graph.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>When this plan's sessions were revoked, even if a later step (disabling) is still to come.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset? ExecutedAt { get; init; }

    /// <summary>The request whose plan the current one replaced (a leaver superseded, or the leaver a rescind cancelled).</summary>
    public string? ReplacedRequestId { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public ETag ETag { get; init; } = ETag.All;

    /// <summary>Which of two messages is newer: <c>submittedAt</c>, else the arrival of its request.</summary>
    public DateTimeOffset Order => SubmittedAt ?? ReceivedAt;
}

/// <summary>What the current HR message asks for.</summary>
public enum LeaverAction
{
    Leave,
    Rescind,
}

/// <summary>Where a plan stands. The names are stored: add, never rename.</summary>
public enum LeaverPlanState
{
    /// <summary>A leaver not yet acted on (not due, or its last attempt ended without finishing).</summary>
    Pending,

    /// <summary>An attempt claimed the plan and is calling Graph now: a rescind can no longer stop it.</summary>
    Executing,

    /// <summary>Revoked (and disabled, if on): done.</summary>
    Executed,

    /// <summary>Rescinded: nothing (more) is done.</summary>
    Cancelled,
}
