using System.Globalization;
using Microsoft.Extensions.Logging;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Users;

namespace RevokeFunctions.Leavers;

/// <summary>
/// One current plan per employee, so a leaver is a plan that can change until it happens. Every HR message about a
/// resolved employee passes here before any guard or Graph call:
/// <list type="bullet">
/// <item>a leaver newer than the plan (by <c>submittedAt</c>, else its request's arrival) replaces it; one that is not
/// newer, or repeats the plan (same ticket, effective date and <c>submittedAt</c>), is <see cref="Outcome.Superseded"/>
/// (or <see cref="Outcome.Cancelled"/> when a newer rescind stands), and so is a scheduled copy of a plan no longer
/// current when it fires;</item>
/// <item>a newer rescind cancels a pending plan (<see cref="Outcome.Cancelled"/>); after the revocation ran, it changes
/// nothing in Entra but cancels what is left (the disable) and is answered <see cref="Outcome.Refused"/>
/// <see cref="ReasonCode.LeaverAlreadyExecuted"/>, so an operator is told and decides;</item>
/// <item>the current plan is claimed (<see cref="LeaverPlanState.Executing"/>) right before Graph is called, and
/// completed after. Every write carries the plan's ETag, so a rescind and the revocation racing cannot both win: the
/// loser reads the plan again and decides on what the winner wrote.</item>
/// </list>
/// If the plan cannot be read or written, nobody is revoked or disabled for the message (transient, retried).
/// </summary>
public sealed partial class LeaverPlans(LeaverPlanStore store, TimeProvider time, ILogger<LeaverPlans> logger)
{
    private const int MaxRounds = 4;
    private static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>False without a ledger (the CLI on a laptop): each leaver is decided on its own, and a rescind cannot be honoured.</summary>
    public bool IsKept => store.IsConfigured;

    /// <summary>The employee's plan, for the status API; null when there is none or none is kept.</summary>
    public Task<LeaverPlan?> FindAsync(string userId, CancellationToken cancellationToken) => store.FindAsync(userId, cancellationToken);

    /// <param name="write">False for a dry run: the plan is read and judged, never written.</param>
    public async Task<LeaverPlanDecision> DecideAsync(
        ResolvedTarget resolved, SourceReference source, RevocationContext context, bool write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        var user = resolved.User ?? throw new ArgumentException("Only a resolved employee has a plan.", nameof(resolved));
        var target = resolved.Target;
        for (var round = 0; round < MaxRounds; round++)
        {
            LeaverPlan? plan;
            try
            {
                plan = await store.FindAsync(user.Id, cancellationToken);
                var now = time.GetUtcNow();
                var mine = Mine(user.Id, target, source, context, now);
                var (answer, next) = Judge(plan, mine, resolved);
                // The CLI schedules nothing: a leaver it finds not yet due must not become the plan, or HR's scheduled
                // copy would fire as superseded and nothing would ever act. It is judged and answered, not written.
                var schedules = context.Channel != RequestChannel.Cli || target.IsRescind || target.NotBefore is not { } due || due <= now;
                if (!write || !schedules || next is null)
                    return new LeaverPlanDecision { Stop = answer, Lease = answer is null && write && schedules ? plan : null };
                var written = plan is null
                    ? await store.TryAddAsync(next, cancellationToken)
                    : await store.TryReplaceAsync(next with { ETag = plan.ETag }, cancellationToken);
                if (written is null)
                    continue; // Another message about the employee, or an attempt, wrote first: judge again on what it wrote.
                if (plan is not null && answer is null)
                    LogReplaced(logger, context.RequestId, plan.CurrentRequestId, user.Id, next.DueAt);
                return new LeaverPlanDecision { Stop = answer, Lease = answer is null ? written : null };
            }
            catch (LedgerUnavailableException ex)
            {
                return new LeaverPlanDecision { Stop = Unavailable(resolved, ex.Message) };
            }
        }
        return new LeaverPlanDecision { Stop = Unavailable(resolved, "other messages about this employee kept changing the plan") };
    }

    /// <summary>
    /// Right before Graph is called for the plan: marks it <see cref="LeaverPlanState.Executing"/> with its ETag. Null
    /// when the claim holds (go on); otherwise the answer, after judging again what another writer (a rescind, a newer
    /// leaver) put there first.
    /// </summary>
    public async Task<TargetResult?> ClaimAsync(
        LeaverPlanDecision decision, ResolvedTarget resolved, SourceReference source, RevocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        for (var round = 0; round < MaxRounds; round++)
        {
            if (decision.Lease is not { } lease)
                return null;
            try
            {
                var now = time.GetUtcNow();
                if (await store.TryReplaceAsync(lease with { State = LeaverPlanState.Executing, ClaimedAt = now, UpdatedAt = now }, cancellationToken)
                    is { } claimed)
                {
                    decision.Lease = claimed;
                    return null;
                }
            }
            catch (LedgerUnavailableException ex)
            {
                return Unavailable(resolved, ex.Message);
            }
            var again = await DecideAsync(resolved, source, context, write: true, cancellationToken);
            if (again.Stop is { } stop)
            {
                decision.Lease = null;
                return stop;
            }
            decision.Lease = again.Lease;
        }
        return Unavailable(resolved, "other messages about this employee kept changing the plan");
    }

    /// <summary>
    /// After the attempt: a revoked (or already revoked) leaver's plan is executed; one whose disable is still to come
    /// records the revocation and goes back to pending; any other end gives the claim back. Best effort: a plan left
    /// <see cref="LeaverPlanState.Executing"/> only makes a later rescind answer that the leaver already ran.
    /// </summary>
    public async Task CompleteAsync(LeaverPlanDecision decision, TargetResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(result);
        if (decision.Lease is not { Action: LeaverAction.Leave } lease)
            return;
        try
        {
            for (var round = 0; round < MaxRounds && lease is not null; round++)
            {
                var now = time.GetUtcNow();
                LeaverPlan? next = result switch
                {
                    { Outcome: Outcome.Revoked or Outcome.AlreadyRevoked } when !result.Replayed || lease.State == LeaverPlanState.Executing =>
                        lease with { State = LeaverPlanState.Executed, ExecutedAt = now, RevokedAt = lease.RevokedAt ?? now, ClaimedAt = null },
                    { SessionsRevoked: true } => lease with { State = LeaverPlanState.Pending, RevokedAt = lease.RevokedAt ?? now, ClaimedAt = null },
                    _ when lease.State == LeaverPlanState.Executing => lease with { State = LeaverPlanState.Pending, ClaimedAt = null },
                    _ => null,
                };
                if (next is null)
                    return;
                if (await store.TryReplaceAsync(next with { UpdatedAt = now }, cancellationToken) is { } written)
                {
                    decision.Lease = written;
                    return;
                }
                // Written meanwhile (another delivery of this request claimed it too, or a newer message replaced it):
                // complete it only while it is still this request's plan.
                var current = await store.FindAsync(lease.UserId, cancellationToken);
                lease = current is { State: not LeaverPlanState.Cancelled } && current.CurrentRequestId == lease.CurrentRequestId ? current : null;
            }
        }
        catch (LedgerUnavailableException ex)
        {
            LogNotCompleted(logger, lease?.CurrentRequestId, result.Outcome, ex.Message);
        }
    }

    private static LeaverPlan Mine(string userId, RequestedTarget target, SourceReference source, RevocationContext context, DateTimeOffset now) =>
        new(userId, context.RequestId, target.IsRescind ? LeaverAction.Rescind : LeaverAction.Leave,
            target.IsRescind ? LeaverPlanState.Cancelled : LeaverPlanState.Pending)
        {
            Ticket = source.Id,
            SubmittedAt = target.SubmittedAt,
            ReceivedAt = context.ReceivedAt,
            DueAt = target.IsRescind ? null : target.NotBefore ?? target.EventTime,
            UpdatedAt = now,
        };

    /// <summary>The answer for this message (null: it is the plan, go on) and the plan to write (null: nothing to write).</summary>
    private static (TargetResult? Answer, LeaverPlan? Write) Judge(LeaverPlan? plan, LeaverPlan mine, ResolvedTarget resolved)
    {
        var rescind = mine.Action == LeaverAction.Rescind;
        if (plan is null)
        {
            return rescind
                ? (Result(resolved, Outcome.Cancelled, ReasonCode.LeaverRescinded,
                    $"No leaver plan was pending for this user; a leaver message submitted before this rescind ({mine.Order:O}) that arrives "
                    + "later will not be executed."), mine)
                : (null, mine);
        }

        if (plan.CurrentRequestId == mine.CurrentRequestId || IsRepeat(plan, mine))
        {
            // This request (again: a retry, a scheduled copy, a redelivery), or another message repeating it.
            var repeat = plan.CurrentRequestId != mine.CurrentRequestId;
            if (rescind)
                return (Rescinded(plan, resolved, repeat ? $"This repeats the rescind of request {plan.CurrentRequestId}: " : ""), null);
            if (plan.State == LeaverPlanState.Executed)
            {
                var executed = $"This leaver was executed at {plan.ExecutedAt:O} (request {plan.CurrentRequestId}); it is not executed again.";
                return repeat
                    ? (Result(resolved, Outcome.Superseded, ReasonCode.LeaverSuperseded, "A repeat of the leaver message of request "
                        + $"{plan.CurrentRequestId} (same ticket, effective date and submittedAt). {executed}") with { SupersededBy = plan.CurrentRequestId }, null)
                    : (Result(resolved, Outcome.AlreadyRevoked, null, executed), null);
            }
            if (repeat && plan.State == LeaverPlanState.Executing)
            {
                return (Result(resolved, Outcome.Superseded, ReasonCode.LeaverSuperseded, "A repeat of the leaver message of request "
                    + $"{plan.CurrentRequestId} (same ticket, effective date and submittedAt), which is being executed now; nothing is done for this one.")
                    with { SupersededBy = plan.CurrentRequestId }, null);
            }
            // A repeat of a pending plan takes it over, so the one whose scheduled copy is sure to exist is the one that
            // acts (the earlier one may never have been queued: an HTTP 503 answered "send it again"). The other's copy
            // then fires as superseded: one execution either way.
            return repeat ? (null, mine with { ReplacedRequestId = plan.CurrentRequestId, RevokedAt = plan.RevokedAt }) : (null, null);
        }

        if (!IsNewer(mine, plan))
        {
            var order = mine.SubmittedAt is null ? "arrived" : "was submitted";
            if (!rescind && plan.Action == LeaverAction.Rescind)
            {
                return (Result(resolved, Outcome.Cancelled, ReasonCode.LeaverRescinded,
                    $"Rescinded by request {plan.CurrentRequestId} ({plan.Order:O}); this leaver {order} before it ({mine.Order:O}), so nothing is "
                    + "revoked or disabled for it.") with { CancelledBy = plan.CurrentRequestId }, null);
            }
            var what = plan.Action == LeaverAction.Rescind ? "rescind" : $"leaver, due {plan.DueAt:O},";
            return (Result(resolved, Outcome.Superseded, ReasonCode.LeaverSuperseded,
                $"Request {plan.CurrentRequestId}'s {what} is newer ({plan.Order:O}) and stands; this message {order} at {mine.Order:O}, "
                + "so nothing is done for it.") with { SupersededBy = plan.CurrentRequestId }, null);
        }

        if (!rescind)
            return (null, mine with { ReplacedRequestId = plan.CurrentRequestId });

        var cancelled = mine with { ReplacedRequestId = plan.CurrentRequestId, DueAt = plan.DueAt, RevokedAt = plan.RevokedAt };
        return plan switch
        {
            // Rescinded already by an older rescind: this one is the plan now, so an older leaver arriving later still loses.
            { Action: LeaverAction.Rescind } => (Rescinded(plan, resolved, $"Already rescinded by request {plan.CurrentRequestId}: "),
                mine with { ReplacedRequestId = plan.ReplacedRequestId, DueAt = plan.DueAt, RevokedAt = plan.RevokedAt }),
            { State: LeaverPlanState.Pending } => (Rescinded(cancelled, resolved, ""), cancelled),
            { State: LeaverPlanState.Executing } => (TooLate(resolved,
                $"request {plan.CurrentRequestId} has been executing the leaver since {plan.ClaimedAt:O}, so it cannot be stopped."), null),
            _ => (TooLate(resolved, $"the leaver of request {plan.CurrentRequestId} was executed at {plan.ExecutedAt:O}."), null),
        };
    }

    /// <summary>A rescind's answer once it is (or repeats) the plan: cancelled, or too late for the revocation it came after.</summary>
    private static TargetResult Rescinded(LeaverPlan plan, ResolvedTarget resolved, string prefix)
    {
        if (plan.RevokedAt is { } revokedAt)
        {
            return TooLate(resolved, $"{prefix}the sessions were revoked at {revokedAt:O} for request {plan.ReplacedRequestId}; "
                + "disabling the account, still due, is cancelled.");
        }
        var leaver = plan.ReplacedRequestId is { } cancelled
            ? $"the leaver plan of request {cancelled}{(plan.DueAt is { } due ? $", due {due:O}," : "")} is cancelled"
            : "no leaver plan was pending; an older leaver message arriving later will not be executed";
        return Result(resolved, Outcome.Cancelled, ReasonCode.LeaverRescinded, Sentence($"{prefix}{leaver}: nothing is revoked or disabled."));
    }

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static TargetResult TooLate(ResolvedTarget resolved, string what) =>
        Result(resolved, Outcome.Refused, ReasonCode.LeaverAlreadyExecuted,
            $"Rescinded too late: {what} Nothing is changed in Entra: if the person stays, a person re-enables the account "
            + "(accountEnabled=true) and restores access; discard this dead letter once done.");

    /// <summary>The same HR message again under another request (a resend with a new MessageId).</summary>
    private static bool IsRepeat(LeaverPlan plan, LeaverPlan mine) =>
        plan.Action == mine.Action && plan.Ticket == mine.Ticket && plan.DueAt == mine.DueAt && plan.SubmittedAt == mine.SubmittedAt
        && mine.Ticket is not null;

    /// <summary>Later <c>submittedAt</c> (else arrival) wins; on a tie, the later arrival.</summary>
    private static bool IsNewer(LeaverPlan mine, LeaverPlan plan) =>
        mine.Order > plan.Order || (mine.Order == plan.Order && mine.ReceivedAt > plan.ReceivedAt);

    private static TargetResult Unavailable(ResolvedTarget resolved, string problem) =>
        Result(resolved, Outcome.Failed, ReasonCode.LeaverPlanUnavailable,
            $"The employee's leaver plan could not be read or written ({problem}); nobody is revoked or disabled for a leaver until it "
            + "can be, so a rescind or a newer date is never missed; it will be retried.") with
        {
            IsTransient = true,
            RetryAfter = UnavailableRetryAfter,
        };

    private static TargetResult Result(ResolvedTarget resolved, Outcome outcome, ReasonCode? reason, string detail) =>
        new(resolved.Target.Given, resolved.User?.Id, outcome, reason, detail)
        {
            UserPrincipalName = resolved.User?.UserPrincipalName,
            Target = resolved.Target,
            NotBefore = resolved.Target.NotBefore,
        };

    [LoggerMessage(EventId = 31, Level = LogLevel.Information,
        Message = "Leaver message of request {RequestId} replaces the plan of request {ReplacedRequestId} for user {UserId}, due {DueAt}")]
    private static partial void LogReplaced(ILogger logger, string requestId, string replacedRequestId, string userId, DateTimeOffset? dueAt);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning,
        Message = "Leaver plan of request {RequestId} not completed after outcome {Outcome}: {Problem}; a later rescind will read it as still executing")]
    private static partial void LogNotCompleted(ILogger logger, string? requestId, Outcome outcome, string problem);
}
