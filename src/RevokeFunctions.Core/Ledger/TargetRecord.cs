using Microsoft.Extensions.Logging;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Users;

namespace RevokeFunctions.Ledger;

/// <summary>
/// One target's passage through the ledger during one attempt: the state machine around the pipeline's decision.
/// <list type="number">
/// <item><see cref="ReplayAsync"/>: the row is inserted already claimed (<c>Revoking</c>), which only one writer can
/// win, and linked to this request in parallel; only when it exists is it read, and a settled row answers a repeat
/// without any Graph call (layer 1).</item>
/// <item><see cref="EnterAsync"/>: a fresh claim by another instance is waited out and its outcome returned; a claim older than
/// <see cref="LedgerOptions.ClaimTimeout"/> is taken over.</item>
/// <item><see cref="TryClaimAsync"/>: the intent before Graph is called; our own insert is that claim already, an
/// existing row is claimed with its ETag.</item>
/// <item><see cref="TryCompleteAsync"/>: the decision written with the ETag (the result).</item>
/// </list>
/// A new target therefore costs two sequential round trips (insert, result), where writing <c>Received</c> and then
/// claiming cost four; a repeat or a retry pays one read more.
/// A ledger failure never stops a revocation: the record turns <see cref="Pending"/>, later steps skip the ledger, and
/// one last write is tried at the end.
/// </summary>
internal sealed partial class TargetRecord
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly IRevocationLedger ledger;
    private readonly LedgerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly RevocationContext context;
    private readonly SourceReference source;
    private readonly LedgerScope scope;
    private readonly RequestedTarget target;
    private readonly int position;
    private DirectoryUser? user;
    private bool received;

    /// <summary>This attempt inserted the row claimed and has not spent the claim (on Graph, or by deciding) yet.</summary>
    private bool ownClaim;

    public TargetRecord(
        IRevocationLedger ledger, LedgerOptions options, TimeProvider time, ILogger logger, RevocationContext context,
        SourceReference source, LedgerScope scope, RequestedTarget target, int position, bool enabled)
    {
        this.ledger = ledger;
        this.options = options;
        this.time = time;
        this.logger = logger;
        this.context = context;
        this.source = source;
        this.scope = scope;
        this.target = target;
        this.position = position;
        IsEnabled = enabled;
        Key = scope.KeyFor(target);
    }

    public LedgerKey Key { get; }

    /// <summary>False for dry runs and when no ledger is configured: every step is a no-op.</summary>
    public bool IsEnabled { get; }

    /// <summary>The row as last read or written.</summary>
    public LedgerEntry? Entry { get; private set; }

    /// <summary>The ledger failed during this attempt; the outcome is not (fully) recorded.</summary>
    public bool Pending { get; private set; }

    /// <summary>A <c>Revoking</c> claim left behind by an interrupted attempt, being taken over now.</summary>
    public LedgerEntry? InterruptedClaim { get; private set; }

    /// <summary>Layer 1: the recorded outcome when this target of this request is already settled; null otherwise.</summary>
    public async Task<TargetResult?> ReplayAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled)
            return null;
        try
        {
            // Insert first: a new target (the common case) is written and claimed in this one round trip; only a
            // conflict (a repeat, a duplicate at work, a retry) costs the read.
            // The link to this request goes alongside: every path below needs it (a repeat is listed too).
            var now = time.GetUtcNow();
            var claim = NewEntry() with { State = LedgerState.Revoking, ClaimedAt = now, ClaimedBy = context.RequestId };
            var linking = LinkAsync(Linkable(claim), cancellationToken);
            if (await ledger.TryAddAsync(claim, cancellationToken) is { } added)
            {
                Entry = added;
                ownClaim = true;
            }
            else
            {
                Entry = await ledger.FindAsync(Key, cancellationToken);
            }
            await linking;
            received = Entry is not null;
        }
        catch (LedgerUnavailableException)
        {
            Pending = true;
            return null;
        }
        if (Entry is not { IsSettled: true } settled)
            return null;
        LogReplayed(logger, context.RequestId, settled.RequestId, settled.UserId, settled.State, Key);
        return Recorded(settled, replay: true);
    }

    /// <summary>
    /// Before deciding: records the target as <c>Received</c> (linked to this request) and waits out a claim another
    /// instance holds. Returns a result when nothing is left to decide here; null to go on and decide.
    /// </summary>
    public async Task<TargetResult?> EnterAsync(DirectoryUser? resolvedUser, CancellationToken cancellationToken)
    {
        user = resolvedUser;
        if (!IsEnabled || Pending)
            return null;
        if (ownClaim)
            return null; // Nobody else can be at work on a row we just inserted.
        try
        {
            if (!received)
            {
                await ledger.LinkAsync(context.RequestId, Linkable(Entry ?? NewEntry()), cancellationToken);
                Entry ??= await ledger.TryAddAsync(NewEntry(), cancellationToken) ?? await ledger.FindAsync(Key, cancellationToken);
                received = true;
            }

            var waited = false;
            while (true)
            {
                switch (Entry)
                {
                    case { IsSettled: true } settled:
                        return Recorded(settled, replay: true);
                    case { IsFinal: true } decided when waited:
                        // The duplicate we waited for decided: its outcome is ours.
                        return Recorded(decided, replay: true);
                    case { State: LedgerState.Revoking } claim when !IsStale(claim):
                        if (waited)
                            return InProgress(claim);
                        LogWaiting(logger, context.RequestId, claim.ClaimedBy, Key);
                        Entry = await WaitForChangeAsync(claim, cancellationToken);
                        waited = true;
                        break;
                    case { State: LedgerState.Revoking } stale:
                        // Only a claim made at or after the event can have reached Graph for it: a claim inserted before
                        // the event (a leaver's effective date) is renewed before any Graph call (TryClaimAsync).
                        InterruptedClaim = stale.ClaimedAt >= target.EventTime ? stale : null;
                        LogTakingOver(logger, context.RequestId, stale.ClaimedBy, stale.ClaimedAt, Key);
                        return null;
                    default:
                        return null;
                }
            }
        }
        catch (LedgerUnavailableException)
        {
            Pending = true;
            return null;
        }
    }

    /// <summary>
    /// The intent: writes <c>Revoking</c> if the row is unchanged since read. False when another instance changed it
    /// first (read again and decide again); true to call Graph, also when the ledger is down.
    /// </summary>
    public async Task<bool> TryClaimAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled || Pending)
            return true;
        if (ownClaim && Entry is { ClaimedAt: { } claimedAt } own && claimedAt >= target.EventTime)
        {
            // Our insert was the claim. It counts as an attempt with the result; the takeover rule (a claim at or after
            // the event may have reached Graph) holds because a claim made before the event is renewed below instead.
            ownClaim = false;
            Entry = own with { Attempts = own.Attempts + 1 };
            return true;
        }
        ownClaim = false;
        try
        {
            var now = time.GetUtcNow();
            var basis = Entry ?? NewEntry();
            var claim = Current(basis) with
            {
                State = LedgerState.Revoking,
                ClaimedAt = now,
                ClaimedBy = context.RequestId,
                Attempts = basis.Attempts + 1,
                UpdatedAt = now,
            };
            var written = Entry is null ? await ledger.TryAddAsync(claim, cancellationToken) : await ledger.TryReplaceAsync(claim, cancellationToken);
            if (written is not null)
            {
                Entry = written;
                return true;
            }
            await ReloadAsync(cancellationToken);
            return false;
        }
        catch (LedgerUnavailableException)
        {
            Pending = true;
            return true;
        }
    }

    /// <summary>
    /// The result: writes the decision if the row is unchanged since read. Null when another instance changed it first
    /// and no Graph call was made (decide again); after our own Graph call the outcome stands whatever happened.
    /// </summary>
    public async Task<TargetResult?> TryCompleteAsync(TargetResult result, bool afterRevoke, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
            return result;
        if (Pending)
            return await RecordLateAsync(result, cancellationToken);
        try
        {
            var decided = Decided(Entry ?? NewEntry(), result);
            if (ownClaim)
            {
                // Decided without calling Graph: the claim this attempt inserted was never spent.
                decided = decided with { ClaimedAt = null, ClaimedBy = null };
                ownClaim = false;
            }
            var written = Entry is null ? await ledger.TryAddAsync(decided, cancellationToken) : await ledger.TryReplaceAsync(decided, cancellationToken);
            if (written is not null)
            {
                Entry = written;
                return result;
            }
            await ReloadAsync(cancellationToken);
            if (!afterRevoke)
                return null;
            // We were slower than Ledger:ClaimTimeout and another delivery took the claim over. A settled row is the
            // ledger's truth; anything else is older knowledge than our own Graph answer, which is written over it once.
            if (Entry is { IsSettled: true } settled)
                return Recorded(settled, replay: false);
            if (Entry is not null && await ledger.TryReplaceAsync(Decided(Entry, result), cancellationToken) is { } retried)
                Entry = retried;
            return result;
        }
        catch (LedgerUnavailableException)
        {
            Pending = true;
            return result with { LedgerPending = true };
        }
    }

    /// <summary>
    /// Writes a decision made while the ledger was down (in this attempt or, from a retry, an earlier one): inserted
    /// if the row is missing, written over an unsettled row, left alone if the row is settled already.
    /// </summary>
    public async Task<TargetResult> RecordLateAsync(TargetResult result, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
            return result;
        try
        {
            for (var round = 0; round < 3; round++)
            {
                var existing = await ledger.FindAsync(Key, cancellationToken);
                await ledger.LinkAsync(context.RequestId, Linkable(existing ?? NewEntry()), cancellationToken);
                // Settled already, or claimed by another delivery that is at work and will record its own outcome.
                if (existing is { IsSettled: true } || (existing is { State: LedgerState.Revoking } claim && !IsStale(claim) && claim.ClaimedBy != context.RequestId))
                {
                    Entry = existing;
                    Pending = false;
                    return result with { LedgerPending = false };
                }
                var decided = Decided(existing ?? NewEntry(), result);
                var written = existing is null ? await ledger.TryAddAsync(decided, cancellationToken) : await ledger.TryReplaceAsync(decided, cancellationToken);
                if (written is not null)
                {
                    Entry = written;
                    Pending = false;
                    return result with { LedgerPending = false };
                }
            }
        }
        catch (LedgerUnavailableException)
        {
            // Still down: the audit log event carries the record until a retry writes it.
        }
        Pending = true;
        return result with { LedgerPending = true };
    }

    /// <summary>
    /// Gives back a claim this attempt inserted but will not use (the target turned out to name a user another target
    /// of the payload names, or the attempt is being cancelled before calling Graph), so the next delivery need not
    /// wait for <see cref="LedgerOptions.ClaimTimeout"/>. Best effort: a claim left behind is taken over after it.
    /// </summary>
    /// <param name="unlink">The target is not this request's own (a repeat of another target): the status API must not list it.</param>
    public async Task ReleaseAsync(bool unlink, CancellationToken cancellationToken)
    {
        if (!ownClaim || Entry is not { } own)
            return;
        ownClaim = false;
        try
        {
            var release = ledger.TryReplaceAsync(own with { State = LedgerState.Received, ClaimedAt = null, ClaimedBy = null }, cancellationToken);
            if (unlink)
                await ledger.UnlinkAsync(context.RequestId, Key, cancellationToken);
            if (await release is { } released)
                Entry = released;
        }
        catch (LedgerUnavailableException)
        {
            // Taken over after Ledger:ClaimTimeout.
        }
    }

    /// <summary>Other writers kept changing the row: answered as in progress, so a retry reads what they recorded.</summary>
    public TargetResult Contended() => InProgress(Entry);

    /// <summary>A duplicate still holds a fresh claim: a transient result, so the queue retries after the claim settles.</summary>
    private TargetResult InProgress(LedgerEntry? claim)
    {
        var now = time.GetUtcNow();
        var left = (claim?.ClaimedAt ?? now) + options.ClaimTimeout - now;
        var retryAfter = TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(left.TotalSeconds), 1, 60));
        var who = claim is { ClaimedBy: { } claimedBy, ClaimedAt: { } claimedAt }
            ? $"Request {claimedBy} (claimed at {claimedAt:O}) is"
            : "Another delivery is";
        return new TargetResult(target.Given, claim?.UserId ?? user?.Id, Outcome.Failed, ReasonCode.InProgress,
            $"{who} revoking this user for the same request right now; its outcome will be recorded, so this duplicate did "
            + "nothing; it will be retried.")
        {
            Target = target,
            UserPrincipalName = user?.UserPrincipalName,
            IsTransient = true,
            RetryAfter = retryAfter,
            LedgerPending = Pending,
        };
    }

    /// <summary>A row's outcome as this request's result: a repeat, or the outcome of the duplicate that acted.</summary>
    private TargetResult Recorded(LedgerEntry entry, bool replay)
    {
        var detail = replay
            ? $"Recorded for request {entry.LastRequestId ?? entry.RequestId} at {entry.UpdatedAt:O}; nothing was done again."
                + (entry.Detail is { Length: > 0 } earlier ? " " + earlier : "")
            : entry.Detail;
        return new TargetResult(target.Given, entry.UserId, entry.Outcome ?? Outcome.Failed, entry.Reason, detail)
        {
            Target = target,
            UserPrincipalName = entry.UserPrincipalName,
            IsTransient = entry.IsTransient,
            NotBefore = entry.NotBefore,
            SupersededBy = entry.SupersededBy,
            CancelledBy = entry.CancelledBy,
            GraphRequestId = entry.GraphRequestId,
            RevokedAt = entry.RevokedAt,
            Verification = entry.Outcome == Outcome.Revoked ? entry.Verification : null,
            Replayed = replay,
            LedgerPending = Pending,
        };
    }

    private async Task<LedgerEntry?> WaitForChangeAsync(LedgerEntry claim, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.DuplicateWait;
        var latest = claim;
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
            latest = await ledger.FindAsync(Key, cancellationToken);
            if (latest is null || latest.ETag != claim.ETag || IsStale(latest))
                return latest;
        }
        return latest;
    }

    // A store that throws before its task starts (a test double) fails the same way as one whose task fails.
    private Task LinkAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return ledger.LinkAsync(context.RequestId, entry, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            return Task.FromException(ex);
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        ownClaim = false;
        Entry = await ledger.FindAsync(Key, cancellationToken);
        InterruptedClaim = null;
        received = Entry is not null;
    }

    private bool IsStale(LedgerEntry claim) =>
        claim.ClaimedAt is not { } claimedAt || time.GetUtcNow() - claimedAt >= options.ClaimTimeout;

    private LedgerEntry NewEntry()
    {
        var now = time.GetUtcNow();
        return Current(new LedgerEntry(Key, context.RequestId, LedgerState.Received)
        {
            Channel = context.Channel,
            ScopeKind = scope.Kind,
            IdempotencyKey = context.IdempotencyKey,
            Source = source,
            EventTime = target.EventTime,
            Requester = context.Requester,
            RequestedByNote = target.RequestedByNote,
            RequestReason = target.Reason,
            Given = target.Given,
            TargetKey = Queue.TargetKey.For(target),
            LeaverMessage = !target.IsLeaver ? null : target.IsRescind ? Requests.Formats.HrLeaverFormat.RescindType : Requests.Formats.HrLeaverFormat.LeaverType,
            CreatedAt = now,
            UpdatedAt = now,
        });
    }

    /// <summary>The row as this request sees it: its own request ID as the last writer, the user as resolved now.</summary>
    private LedgerEntry Current(LedgerEntry basis) => basis with
    {
        LastRequestId = context.RequestId,
        UserId = user?.Id ?? basis.UserId,
        UserPrincipalName = user?.UserPrincipalName ?? basis.UserPrincipalName,
        Position = position,
    };

    private LedgerEntry Decided(LedgerEntry basis, TargetResult result) => Current(basis) with
    {
        State = LedgerEntry.StateOf(result.Outcome),
        Outcome = result.Outcome,
        Reason = result.Reason,
        Detail = result.Detail,
        IsTransient = result.IsTransient,
        NotBefore = result.NotBefore,
        SupersededBy = result.SupersededBy,
        CancelledBy = result.CancelledBy,
        GraphRequestId = result.GraphRequestId ?? basis.GraphRequestId,
        UserId = result.UserId ?? user?.Id ?? basis.UserId,
        UserPrincipalName = result.UserPrincipalName ?? user?.UserPrincipalName ?? basis.UserPrincipalName,
        RevokedAt = result.RevokedAt ?? basis.RevokedAt,
        Verification = result.Outcome == Outcome.Revoked || result.SessionsRevoked ? result.Verification ?? basis.Verification : null,
        UpdatedAt = time.GetUtcNow(),
    };

    private LedgerEntry Linkable(LedgerEntry entry) => entry with { Position = position, Given = target.Given };

    [LoggerMessage(EventId = 103, Level = LogLevel.Information,
        Message = "Request {RequestId} repeats request {RecordedRequestId}: user {UserId} is {LedgerState} in the ledger (row {LedgerRow}); Graph was not called")]
    private static partial void LogReplayed(ILogger logger, string requestId, string recordedRequestId, string? userId, LedgerState ledgerState, LedgerKey ledgerRow);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information,
        Message = "Request {RequestId} waits for request {ClaimedBy}, which holds the claim on ledger row {LedgerRow}")]
    private static partial void LogWaiting(ILogger logger, string requestId, string? claimedBy, LedgerKey ledgerRow);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning,
        Message = "Request {RequestId} takes over the claim request {ClaimedBy} made at {ClaimedAt} on ledger row {LedgerRow}, which was never completed")]
    private static partial void LogTakingOver(ILogger logger, string requestId, string? claimedBy, DateTimeOffset? claimedAt, LedgerKey ledgerRow);
}
