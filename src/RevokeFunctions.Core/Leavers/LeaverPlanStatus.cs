using RevokeFunctions.Ledger;
using RevokeFunctions.Requests.Formats;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Leavers;

/// <summary>
/// An HR message's place in its employee's plan, as <c>GET /api/revocations/{id}</c> and <c>revoke status</c> show it
/// (the <c>plan</c> of a target). Add fields, never rename.
/// </summary>
/// <param name="Message"><c>leaver</c> or <c>leaverRescinded</c>.</param>
/// <param name="State">
/// For a leaver: <c>Pending</c> (due, waiting), <c>Executing</c>, <c>Executed</c>, <c>Superseded</c> or <c>Cancelled</c>;
/// for a rescind: its outcome (<c>Cancelled</c>, <c>Superseded</c>, <c>Refused</c> when it came too late).
/// </param>
public sealed record LeaverPlanStatus(string Message, string State)
{
    /// <summary>When this leaver's revocation is (or was) due: its effective date.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>The request whose leaver message replaced this one (the employee's plan now).</summary>
    public string? SupersededBy { get; init; }

    /// <summary>The request whose rescind cancelled this leaver.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>On a rescind that is the employee's plan: the leaver request it cancelled.</summary>
    public string? Rescinds { get; init; }

    /// <summary>The request that is the employee's plan now, and when that plan is due.</summary>
    public string? CurrentRequestId { get; init; }

    public DateTimeOffset? CurrentDueAt { get; init; }

    /// <param name="requestId">The request being asked about.</param>
    /// <param name="plan">The employee's plan now; null when there is none (or it could not be read).</param>
    public static LeaverPlanStatus? For(string requestId, LedgerEntry entry, LeaverPlan? plan)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.LeaverMessage is not { } message)
            return null;
        var status = new LeaverPlanStatus(message, entry.Outcome?.ToString() ?? entry.State.ToString())
        {
            SupersededBy = entry.SupersededBy,
            CancelledBy = entry.CancelledBy,
            CurrentRequestId = plan?.CurrentRequestId,
            CurrentDueAt = plan?.DueAt,
        };
        if (message == HrLeaverFormat.RescindType)
            return plan?.CurrentRequestId == requestId ? status with { Rescinds = plan.ReplacedRequestId } : status;

        status = status with { DueAt = entry.NotBefore ?? entry.EventTime };
        if (entry.Outcome is Outcome.Superseded or Outcome.Cancelled or Outcome.Revoked or Outcome.AlreadyRevoked)
            return entry.Outcome is Outcome.Superseded or Outcome.Cancelled ? status : status with { State = nameof(LeaverPlanState.Executed) };
        if (plan is null)
            return status;
        if (plan.CurrentRequestId == requestId || plan.CurrentRequestId == entry.RequestId)
            return status with { State = plan.State.ToString() };
        // Not decided yet (a scheduled copy still to fire), but no longer the plan: say what will become of it.
        return plan.Action == LeaverAction.Rescind
            ? status with { State = nameof(Outcome.Cancelled), CancelledBy = plan.CurrentRequestId }
            : status with { State = nameof(Outcome.Superseded), SupersededBy = plan.CurrentRequestId };
    }
}
