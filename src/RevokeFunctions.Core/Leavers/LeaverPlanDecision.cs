using RevokeFunctions.Revocation;

namespace RevokeFunctions.Leavers;

/// <summary>
/// What the employee's plan says about one HR message: <see cref="Stop"/> is the target's answer (superseded,
/// cancelled, a rescind's result, the plan store down); otherwise the message is the plan and <see cref="Lease"/> is
/// the plan as last read or written, which the attempt claims before acting and completes after.
/// </summary>
public sealed class LeaverPlanDecision
{
    public TargetResult? Stop { get; init; }

    /// <summary>
    /// The plan this attempt works on (this request's own); null with <see cref="Stop"/>, in a dry run, and for a leaver
    /// the CLI finds not yet due (it writes no plan).
    /// </summary>
    public LeaverPlan? Lease { get; internal set; }
}
