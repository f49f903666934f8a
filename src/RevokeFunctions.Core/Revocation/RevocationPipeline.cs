using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Graph;
using RevokeFunctions.Guards;
using RevokeFunctions.Leavers;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Users;
using RevokeFunctions.Verification;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Revocation;

/// <summary>
/// The one pipeline every trigger, the CLI, the tests and the benchmark run: parse → replay → resolve → leaver plan →
/// guard → decide → revoke, each decision recorded in the ledger. Triggers only adapt their input to this and its result to their answer.
/// </summary>
/// <remarks>
/// Idempotency has three layers. (1) A target the ledger shows settled for the same request (idempotency key, else
/// source ID and event time, else request ID) is answered from the ledger without any Graph call. (2) A user whose
/// <c>signInSessionsValidFromDateTime</c> is at or after the event is <see cref="Outcome.AlreadyRevoked"/> with no
/// Graph write, whatever the ledger knows. (3) The intent (<see cref="LedgerState.Revoking"/>) is written before the
/// Graph call and the result after, so a crash in between is finished on redelivery, with layer 2 making the repeat
/// harmless.
/// </remarks>
public sealed partial class RevocationPipeline(
    PayloadParser parser,
    UserResolver resolver,
    ISessionRevoker revoker,
    IAccountDisabler disabler,
    IOptions<LeaverOptions> leavers,
    LeaverPlans plans,
    IRevocationLedger ledger,
    RevocationGuards targetGuards,
    IOptions<GuardOptions> guards,
    IOptions<RevocationOptions> options,
    IOptions<LedgerOptions> ledgerOptions,
    RevocationMetrics metrics,
    RevocationVerifier verifier,
    TimeProvider time,
    ILogger<RevocationPipeline> logger)
{
    /// <summary>Rounds of deciding lost to other writers of the same row before the target is answered as in progress.</summary>
    private const int MaxRounds = 4;

    private readonly UserNameLogFormatter names = new(guards);
    private int unconfiguredLedgerReported;

    public async Task<RevocationResult> ProcessAsync(ReadOnlyMemory<byte> body, RevocationContext context, CancellationToken cancellationToken)
    {
        var parsed = Parse(body, context);
        return parsed.Succeeded
            ? await ProcessAsync(parsed.Payload, context, cancellationToken)
            : RevocationResult.Invalid(context.RequestId, parsed.Error);
    }

    /// <summary>Parses a body as the pipeline does, logging a refusal; for a trigger with intake work between parsing and deciding.</summary>
    public PayloadParseResult Parse(ReadOnlyMemory<byte> body, RevocationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = parser.Parse(body, context.ReceivedAt);
        if (!parsed.Succeeded)
            LogPayloadRefused(logger, context.RequestId, context.Channel, parsed.Error.Reason, parsed.Error.Kind, parsed.Error.Path);
        return parsed;
    }

    public async Task<RevocationResult> ProcessAsync(ParsedPayload payload, RevocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(context);
        var limit = guards.Value.MaxTargets;
        if (payload.Targets.Count > limit)
        {
            var error = new PayloadError(ReasonCode.TooManyTargets, PayloadErrorKind.TooManyTargets,
                $"The payload names {payload.Targets.Count} users; at most {limit} are accepted in one request "
                + "(Guards:MaxTargets). Nobody was revoked; split the request or raise the limit after review.");
            LogPayloadRefused(logger, context.RequestId, context.Channel, error.Reason, error.Kind, null);
            // The source is known: the incident or alert can still be told that nobody was revoked, and why.
            return RevocationResult.Invalid(context.RequestId, error) with { Source = payload.Source };
        }

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Value.MaxConcurrentTargets,
            CancellationToken = cancellationToken,
        };
        var request = OpenRecord(context, payload.Source);
        var records = payload.Targets.Select(request.For).ToArray();
        // Where a revocation's proof is told: the write-back record the request's outcome goes to.
        var writeBackKey = WriteBackKey.For(context, payload.Source, payload.Targets).Value;
        var outcomes = new TargetResult?[records.Length];

        // Layer 1 before resolution, so a repeat costs no Graph call at all.
        await Parallel.ForEachAsync(Enumerable.Range(0, records.Length), parallel,
            async (i, ct) => outcomes[i] = await records[i].ReplayAsync(ct));

        var resolved = new ResolvedTarget?[records.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, records.Length).Where(i => outcomes[i] is null), parallel,
            async (i, ct) => resolved[i] = await resolver.ResolveAsync(payload.Targets[i], ct));

        // The same person named twice (by object ID and by UPN) is one target: revoke once, report once.
        var kept = new List<int>(records.Length);
        var seenUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < records.Length; i++)
        {
            var userId = outcomes[i]?.UserId ?? resolved[i]?.User?.Id;
            if (userId is null || seenUsers.Add(userId))
                kept.Add(i);
        }

        // A target dropped as the same person holds the claim its replay inserted: give it back.
        var dropped = Enumerable.Range(0, records.Length).Where(i => outcomes[i] is null).Except(kept).ToList();
        if (dropped.Count > 0)
            await Task.WhenAll(dropped.Select(i => records[i].ReleaseAsync(unlink: true, cancellationToken)));

        // HR messages against the employee's one current plan, before any guard counts them: a superseded or cancelled
        // leaver is answered as such, and a rescind is decided here whole.
        var leaverPlans = new LeaverPlanDecision?[records.Length];
        if (plans.IsKept)
        {
            await Parallel.ForEachAsync(kept.Where(i => outcomes[i] is null && HasPlan(resolved[i]!)), parallel,
                async (i, ct) => leaverPlans[i] = await plans.DecideAsync(resolved[i]!, payload.Source, context, write: !IsDryRun(context), ct));
        }

        // Protected accounts and the storm guard, for the users about to be revoked, in payload order.
        var verdicts = new GuardVerdict?[records.Length];
        var candidates = kept.Where(i => outcomes[i] is null && leaverPlans[i]?.Stop is null && IsCandidate(resolved[i]!, context)).ToList();
        if (candidates.Count > 0)
        {
            var checkedVerdicts = await targetGuards.CheckAsync([.. candidates.Select(i => resolved[i]!)], context, payload.Source, parallel, cancellationToken);
            for (var c = 0; c < candidates.Count; c++)
                verdicts[candidates[c]] = checkedVerdicts[c];
        }

        try
        {
            await Parallel.ForEachAsync(kept.Where(i => outcomes[i] is null), parallel, async (i, ct) =>
            {
                outcomes[i] = await DecideRecordedAsync(resolved[i]!, records[i], context, payload.Source, writeBackKey, verdicts[i], leaverPlans[i], ct);
                if (leaverPlans[i] is { Lease: not null } plan && !IsDryRun(context))
                    await plans.CompleteAsync(plan, outcomes[i]!, ct);
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: claims not yet spent on Graph are given back, so the redelivery need not wait them out.
            await Task.WhenAll(records.Select(r => r.ReleaseAsync(unlink: false, CancellationToken.None)));
            throw;
        }

        var results = new List<TargetResult>(kept.Count);
        foreach (var i in kept)
        {
            var result = outcomes[i]!;
            results.Add(result);
            Audit(context, payload.Source, records[i], result);
        }
        return new RevocationResult(context.RequestId, null, payload.Source, results);
    }

    /// <summary>
    /// Writes the outcomes a ledger outage left out (<see cref="TargetResult.LedgerPending"/>), for a caller that
    /// retries after the revocation itself is done. Targets whose row is settled meanwhile are left as recorded.
    /// </summary>
    public async Task<RevocationResult> RecordPendingAsync(RevocationResult result, RevocationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(context);
        if (result.Source is not { } source || !result.LedgerPending)
            return result;
        var request = OpenRecord(context, source);
        var targets = new TargetResult[result.Targets.Count];
        for (var i = 0; i < targets.Length; i++)
        {
            var target = result.Targets[i];
            targets[i] = target is { LedgerPending: true, Target: { } parsed }
                ? await request.For(parsed, i).RecordLateAsync(target, cancellationToken)
                : target;
        }
        return result with { Targets = targets };
    }

    private RequestRecord OpenRecord(RevocationContext context, SourceReference source)
    {
        if (!ledger.IsConfigured && Interlocked.Exchange(ref unconfiguredLedgerReported, 1) == 0)
            LogLedgerNotConfigured(logger);
        var enabled = ledger.IsConfigured && !context.DryRun && !guards.Value.DryRun;
        return new RequestRecord(ledger, ledgerOptions.Value, time, logger, context, source, enabled);
    }

    /// <summary>One target through the ledger's state machine; see <see cref="TargetRecord"/>.</summary>
    /// <param name="plan">For an HR message: what the employee's plan says (its answer, or the plan to claim before acting).</param>
    private async Task<TargetResult> DecideRecordedAsync(ResolvedTarget resolved, TargetRecord record, RevocationContext context,
        SourceReference source, string writeBackKey, GuardVerdict? verdict, LeaverPlanDecision? plan, CancellationToken cancellationToken)
    {
        // The plan's own answer, once it has one: it is final for this attempt, whatever later rounds find.
        var planAnswer = plan?.Stop;
        for (var round = 0; round < MaxRounds; round++)
        {
            if (await record.EnterAsync(resolved.User, cancellationToken) is { } settled)
                return settled;

            var decision = planAnswer ?? Decide(resolved, context, record.InterruptedClaim, verdict);
            // The plan is claimed right before Graph is written, so a rescind that got there first stops the write.
            var writesGraph = decision is null
                || (decision.Outcome == Outcome.AlreadyRevoked && NeedsDisabling(resolved, context) && verdict?.Stop is null);
            if (writesGraph && planAnswer is null && plan is not null
                && await plans.ClaimAsync(plan, resolved, source, context, cancellationToken) is { } planStop)
            {
                decision = planAnswer = planStop;
            }
            if (decision is not null)
            {
                // A leaver whose sessions were already ended is still disabled when the setting says so, unless a guard
                // (a protected account, the leaver storm guard) stops it: then the guard's word is the outcome.
                // (Not when the plan itself answered: a plan executed, superseded or cancelled is not acted on.)
                if (planAnswer is null && decision.Outcome == Outcome.AlreadyRevoked && NeedsDisabling(resolved, context))
                    decision = verdict?.Stop ?? await DisableAfterAsync(RevokedEarlier(decision, plan, context), resolved, cancellationToken);
                if (await record.TryCompleteAsync(decision, afterRevoke: false, cancellationToken) is { } recorded)
                    return recorded;
                continue;
            }

            if (!await record.TryClaimAsync(cancellationToken))
                continue;
            var result = await RevokeAsync(resolved, cancellationToken);
            if (verdict?.Note is { } note && result.Outcome == Outcome.Revoked)
                result = result with { Detail = note, ProtectedAccount = true };
            // A leaver whose disable failed transiently ends Failed with its sessions revoked: its retry will not revoke
            // again, so the proof of this revocation is due from now, as for any other.
            if (!(result.Outcome == Outcome.Revoked || result.SessionsRevoked) || !verifier.CanSchedule)
                return await record.TryCompleteAsync(result, afterRevoke: true, cancellationToken) ?? result;
            return await CompleteWithProofAsync(record, result, context, source, writeBackKey, cancellationToken);
        }
        return record.Contended();
    }

    /// <summary>
    /// Records a revocation and, side by side (no added round trip), the check that will prove it; the check runs later,
    /// off this answer's path. If the check could not be recorded the revocation still stands, and its row says so.
    /// </summary>
    private async Task<TargetResult> CompleteWithProofAsync(TargetRecord record, TargetResult result, RevocationContext context,
        SourceReference source, string writeBackKey, CancellationToken cancellationToken)
    {
        var ticket = new VerificationTicket(context.RequestId, result.UserId!, result.RevokedAt ?? time.GetUtcNow(), result.PreviousValidFrom)
        {
            LedgerRow = record.IsEnabled ? record.Key : null,
            WriteBackKey = writeBackKey,
            TargetKey = result.Target is { } parsed ? Queue.TargetKey.For(parsed) : null,
            UserPrincipalName = result.UserPrincipalName,
            SourceKind = source.Kind,
        };
        var pending = result with { Verification = VerificationStatus.Pending };
        var scheduling = verifier.ScheduleAsync(ticket, cancellationToken);
        var recorded = await record.TryCompleteAsync(pending, afterRevoke: true, cancellationToken) ?? pending;
        if (await scheduling is { State: VerificationState.Pending })
            return recorded with { VerificationTicket = ticket };
        var notScheduled = new VerificationStatus(VerificationState.NotScheduled);
        if (record.IsEnabled && !recorded.LedgerPending && !recorded.Replayed)
        {
            try
            {
                await ledger.RecordVerificationAsync(record.Key, notScheduled, cancellationToken);
            }
            catch (LedgerUnavailableException)
            {
                // The warning the verifier logged is the record.
            }
        }
        return recorded.Replayed ? recorded : recorded with { Verification = notScheduled };
    }

    private DateTimeOffset AlreadyRevokedThreshold(RequestedTarget target, RevocationContext context)
    {
        var receipt = context.ReceivedAt - options.Value.DedupWindow;
        return receipt > target.EventTime ? receipt : target.EventTime;
    }

    private string DescribeThreshold(RequestedTarget target, DateTimeOffset threshold) =>
        threshold == target.EventTime
            ? $"the event at {target.EventTime:O}"
            : $"this request's receipt less Revocation:DedupWindow ({options.Value.DedupWindow:c}), {threshold:O}";

    /// <summary>
    /// A leaver whose sessions an earlier attempt of this very request revoked (its disable failed and is retried now)
    /// is this request's revocation, not someone else's: Revoked, as the plan recorded it.
    /// </summary>
    private static TargetResult RevokedEarlier(TargetResult alreadyRevoked, LeaverPlanDecision? plan, RevocationContext context) =>
        plan?.Lease is { RevokedAt: { } revokedAt } lease && lease.CurrentRequestId == context.RequestId
            ? alreadyRevoked with { Outcome = Outcome.Revoked, Detail = $"Sessions revoked at {revokedAt:O} by an earlier attempt of this request." }
            : alreadyRevoked;

    /// <summary>A resolved HR message: the employee's plan decides whether it is acted on.</summary>
    private static bool HasPlan(ResolvedTarget resolved) =>
        resolved.Target.IsLeaver && resolved.Status == UserLookupStatus.Found && resolved.User is not null;

    private bool IsDryRun(RevocationContext context) => context.DryRun || guards.Value.DryRun;

    /// <summary>A user the decision would revoke now (or would, in a dry run): the guards' business.</summary>
    private bool IsCandidate(ResolvedTarget resolved, RevocationContext context) =>
        resolved.User is not null && !resolved.Target.IsRescind && Decide(resolved, context, null, null) switch
        {
            null or { Outcome: Outcome.WouldRevoke } => true,
            { Outcome: Outcome.AlreadyRevoked } => NeedsDisabling(resolved, context),
            _ => false,
        };

    /// <summary>A leaver whose account <c>Leavers:DisableAccount</c> would disable now (never in a dry run).</summary>
    private bool NeedsDisabling(ResolvedTarget resolved, RevocationContext context) =>
        resolved.Target.IsLeaver && leavers.Value.DisableAccount && resolved.User?.AccountEnabled != false
        && !context.DryRun && !guards.Value.DryRun;

    /// <summary>Every decision short of the Graph write; null when the user is to be revoked now.</summary>
    /// <param name="verdict">The guards' word; a stop is the decision once nothing else has settled the target.</param>
    private TargetResult? Decide(ResolvedTarget resolved, RevocationContext context, LedgerEntry? interruptedClaim, GuardVerdict? verdict)
    {
        var target = resolved.Target;
        switch (resolved.Status)
        {
            case UserLookupStatus.NotFound:
                return new TargetResult(target.Given, null, Outcome.NotFound, ReasonCode.UserNotFound, resolved.Detail) { Target = target };
            case UserLookupStatus.Ambiguous:
                return new TargetResult(target.Given, null, Outcome.NotFound, ReasonCode.AmbiguousUser, resolved.Detail) { Target = target };
            case UserLookupStatus.Failed:
                return FromFailure(target, resolved.User?.Id, resolved.Failure!, "User.Read.All", "resolve the user");
        }

        var user = resolved.User!;
        TargetResult Result(Outcome outcome, ReasonCode? reason = null, string? detail = null) =>
            new(target.Given, user.Id, outcome, reason, detail) { UserPrincipalName = user.UserPrincipalName, Target = target };

        if (target.Refusal is { } refusal)
            return Result(Outcome.Refused, refusal.Reason, refusal.Detail);

        // A rescind is decided by the employee's plan alone (LeaverPlans); it never reaches a revocation.
        if (target.IsRescind)
        {
            return plans.IsKept
                ? Result(Outcome.Failed, ReasonCode.LeaverPlanUnavailable, "The rescind could not be matched to the employee's leaver plan; it will be retried.")
                    with { IsTransient = true }
                : Result(Outcome.Refused, ReasonCode.LeaverPlanUnavailable,
                    "No ledger is configured (Ledger:serviceUri), so no leaver plans are kept and there is nothing to rescind here: "
                    + "cancel the scheduled leaver where it runs.");
        }

        if (user.IsGuest)
        {
            return Result(Outcome.Refused, ReasonCode.GuestUser,
                "This is a B2B guest: revoking sessions here does not end the sessions its home tenant issued. "
                + "Disable the guest account (accountEnabled=false) or remove the guest from the tenant instead.");
        }

        var now = time.GetUtcNow();
        if (target.NotBefore is { } due && due > now)
        {
            return Result(Outcome.Deferred, ReasonCode.NotYetEffective,
                $"The effective date {due:O} is in the future; the revocation is scheduled for then.") with { NotBefore = due };
        }

        if (user.SignInSessionsValidFrom is { } validFrom)
        {
            // First, an attempt of this request that claimed this target and then stopped (a crash between the Graph call
            // and its record): Graph keeps whole seconds, so sessions revoked within or after the claim's second are that
            // attempt's call, made after the event (the claim always follows the event). Its outcome is Revoked, whatever
            // second the call landed in relative to the event.
            if (interruptedClaim?.ClaimedAt is { } claimedAt && validFrom >= WholeSecond(claimedAt))
            {
                return Result(Outcome.Revoked, null,
                    $"Completed after an interruption: request {interruptedClaim.ClaimedBy} claimed the revocation at {claimedAt:O} "
                    + $"and Graph shows the sessions revoked at {validFrom:O}; it was not called again.");
            }

            // Graph's own timestamp is the truth: if sessions were invalidated at or after the event, and recently enough
            // that no session this request means to end can have opened since, there is nothing left to end, whoever did it
            // and whatever our ledger remembers. "Recently enough" is the request's first receipt less the dedup window:
            // alert storms about one event collapse, but an old revocation never stands in for a new request (a leaver
            // back-dated before a revocation made for another reason keeps no session opened after it).
            var threshold = AlreadyRevokedThreshold(target, context);
            if (validFrom >= threshold)
            {
                return Result(Outcome.AlreadyRevoked, null,
                    $"Sessions were already revoked at {validFrom:O}, at or after {DescribeThreshold(target, threshold)}.");
            }
        }

        if (verdict?.Stop is { } stop)
            return stop;
        if (context.DryRun || guards.Value.DryRun)
            return Result(Outcome.WouldRevoke, ReasonCode.DryRun, "Dry run: every check passed; no revocation was made.");
        return null;
    }

    private async Task<TargetResult> RevokeAsync(ResolvedTarget resolved, CancellationToken cancellationToken)
    {
        var target = resolved.Target;
        var user = resolved.User!;
        var startedAt = time.GetUtcNow();
        var attempt = await revoker.RevokeAsync(user.Id, cancellationToken);
        if (!attempt.Succeeded)
        {
            return FromFailure(target, user.Id, attempt.Failure!, "User.RevokeSessions.All", "revoke the sessions") with
            {
                UserPrincipalName = user.UserPrincipalName,
            };
        }
        var revoked = new TargetResult(target.Given, user.Id, Outcome.Revoked)
        {
            UserPrincipalName = user.UserPrincipalName,
            Target = target,
            GraphRequestId = attempt.GraphRequestId,
            RevokedAt = startedAt,
            PreviousValidFrom = user.SignInSessionsValidFrom,
        };
        return await DisableAfterAsync(revoked, resolved, cancellationToken);
    }

    /// <summary>
    /// For a leaver, with <c>Leavers:DisableAccount</c> on, also disables the account once its sessions are revoked
    /// (<paramref name="revoked"/>: Revoked or AlreadyRevoked). The revocation stands whatever happens here. A transient
    /// failure (throttling, an outage) is retried like a revocation: the result is a transient failure that says the
    /// sessions are revoked, and the retry finds them so (AlreadyRevoked) and disables again; PATCH accountEnabled=false
    /// is idempotent, and the employee's plan, the protected-account check and the leaver storm guard are asked again
    /// first. A permanent failure (a missing permission) is reported in the detail for a person to finish by hand.
    /// </summary>
    private async Task<TargetResult> DisableAfterAsync(TargetResult revoked, ResolvedTarget resolved, CancellationToken cancellationToken)
    {
        var user = resolved.User!;
        if (!resolved.Target.IsLeaver || !leavers.Value.DisableAccount)
            return revoked;
        string disabled;
        if (user.AccountEnabled == false)
        {
            disabled = "The account was already disabled.";
        }
        else if (await disabler.DisableAsync(user.Id, cancellationToken) is not { } failure)
        {
            disabled = "The account was also disabled (Leavers:DisableAccount).";
        }
        else
        {
            LogDisableFailed(logger, user.Id, failure.StatusCode, failure.ErrorCode);
            if (failure.IsTransient)
            {
                return FromFailure(resolved.Target, user.Id, failure, "User.EnableDisableAccount.All", "disable the account") with
                {
                    UserPrincipalName = user.UserPrincipalName,
                    Detail = $"Sessions revoked, but Graph did not complete the request to disable the account ({Describe(failure)}); it will be retried.",
                    GraphRequestId = revoked.GraphRequestId ?? failure.RequestId,
                    SessionsRevoked = true,
                    RevokedAt = revoked.RevokedAt,
                    PreviousValidFrom = revoked.PreviousValidFrom,
                };
            }
            disabled = failure.Kind == GraphFailureKind.Forbidden
                ? "Sessions revoked, but disabling the account was refused: grant the managed identity User.EnableDisableAccount.All, then disable it by hand."
                : $"Sessions revoked, but disabling the account failed ({Describe(failure)}): disable it by hand.";
        }
        return revoked with { Detail = revoked.Detail is { Length: > 0 } detail ? $"{detail} {disabled}" : disabled };
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "Leaver {UserId} revoked but not disabled: Graph answered {StatusCode} {ErrorCode}")]
    private static partial void LogDisableFailed(ILogger logger, string userId, int? statusCode, string? errorCode);

    internal static TargetResult FromFailure(RequestedTarget target, string? userId, GraphFailure failure, string permission, string action)
    {
        var (reason, detail) = failure.Kind switch
        {
            GraphFailureKind.Forbidden => (ReasonCode.GraphForbidden,
                $"Graph refused to {action} (403 {failure.ErrorCode}): grant the app's managed identity the Microsoft Graph "
                + $"application permission {permission}."),
            GraphFailureKind.Unauthorized => (ReasonCode.GraphUnauthorized,
                $"Graph did not accept the app's token (401 {failure.ErrorCode}) when trying to {action}: check the managed identity and tenant."),
            GraphFailureKind.BadRequest or GraphFailureKind.NotFound => (ReasonCode.GraphRejected,
                $"Graph rejected the request to {action} ({failure.StatusCode} {failure.ErrorCode}): {failure.Message}"),
            _ => (ReasonCode.GraphUnavailable,
                $"Graph did not complete the request to {action} after retries ({Describe(failure)}); it will be retried."),
        };
        return new TargetResult(target.Given, userId, Outcome.Failed, reason, detail)
        {
            Target = target,
            IsTransient = failure.IsTransient,
            RetryAfter = failure.RetryAfter,
            GraphRequestId = failure.RequestId,
        };
    }

    private static string Describe(GraphFailure failure) =>
        failure.StatusCode is { } status ? $"{status} {failure.ErrorCode}".TrimEnd() : failure.Kind.ToString();

    private static DateTimeOffset WholeSecond(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    /// <summary>
    /// Every decision is a structured event that names its ledger row. One the ledger could not take is logged in full
    /// as well: until a retry writes the row, that event is the audit record.
    /// </summary>
    private void Audit(RevocationContext context, SourceReference source, TargetRecord record, TargetResult result)
    {
        var row = record.IsEnabled ? record.Key.ToString() : null;
        var requester = names.Redact(context.Requester);
        LogDecision(logger, context.RequestId, source.Kind, source.Id, result.UserId, result.Outcome, result.Reason, requester,
            row, result.Replayed, result.LedgerPending);
        if (!result.Replayed)
            metrics.Outcome(result.Outcome, result.Reason, source.Kind);
        if (!result.LedgerPending)
            return;
        var target = result.Target;
        var given = result.Given.Contains('@', StringComparison.Ordinal) ? names.Format(result.Given) : result.Given;
        LogUnrecorded(logger, context.RequestId, context.Channel, context.IdempotencyKey, source.Kind, source.Id, source.Number, source.Url,
            source.Severity, target?.EventTime, requester, names.Redact(target?.Reason), given, result.UserId, result.Outcome, result.Reason,
            names.Redact(result.Detail), result.GraphRequestId, row);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Revocation request {RequestId} via {Channel} refused: {ReasonCode} ({ErrorKind}) at {JsonPath}")]
    private static partial void LogPayloadRefused(ILogger logger, string requestId, RequestChannel channel, ReasonCode reasonCode, PayloadErrorKind errorKind, string? jsonPath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Revocation decision for request {RequestId} from {Source} {SourceId}: user {UserId} {Outcome} {ReasonCode}, requested by {Requester}; "
            + "ledger row {LedgerRow}, replayed {Replayed}, ledger pending {LedgerPending}")]
    private static partial void LogDecision(ILogger logger, string requestId, string source, string? sourceId, string? userId, Outcome outcome,
        ReasonCode? reasonCode, string? requester, string? ledgerRow, bool replayed, bool ledgerPending);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error,
        Message = "Revocation audit record not in the ledger yet: request {RequestId} via {Channel} (key {IdempotencyKey}) from {Source} {SourceId} "
            + "#{SourceNumber} {SourceUrl} severity {SourceSeverity}, event at {EventTime}, requested by {Requester} for {RequestReason}: "
            + "user {Given} ({UserId}) {Outcome} {ReasonCode}: {Detail} (Graph request {GraphRequestId}); ledger row {LedgerRow}")]
    private static partial void LogUnrecorded(ILogger logger, string requestId, RequestChannel channel, string? idempotencyKey, string source,
        string? sourceId, string? sourceNumber, string? sourceUrl, string? sourceSeverity, DateTimeOffset? eventTime, string? requester,
        string? requestReason, string? given, string? userId, Outcome outcome, ReasonCode? reasonCode, string? detail, string? graphRequestId,
        string? ledgerRow);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information,
        Message = "The revocation ledger is not configured (Ledger:serviceUri or Ledger:connectionString): decisions are only logged, "
            + "repeats are recognised only by Graph's own timestamp, and the status API has nothing to show")]
    private static partial void LogLedgerNotConfigured(ILogger logger);
}
