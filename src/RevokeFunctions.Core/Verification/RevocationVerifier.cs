using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Graph;
using RevokeFunctions.Guards;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Users;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Verification;

/// <summary>
/// Proves revocations: Graph answers revokeSignInSessions with <c>true</c> whatever happened and applies it with a
/// replication delay, so the user's <c>signInSessionsValidFromDateTime</c> is read back (one GET with <c>$select</c>:
/// one resource unit, no write quota) until it shows the revocation (<see cref="VerificationTicket.IsProvedBy"/>),
/// every <see cref="VerificationOptions.Interval"/> for at most <see cref="VerificationOptions.Timeout"/>. The proof goes
/// to the ledger row (<c>Verified</c> with the timestamp and when) and the write-back record (comments show it); a
/// revocation never proven within the bound is flagged <c>Unverified</c>: a warning, a metric, a webhook and the status.
/// <para>The pipeline only records what is to be checked (<see cref="ScheduleAsync"/>, one Table write beside the
/// outcome's); the checks run from the verification timer (<see cref="VerifyDueAsync"/>), or, for a person at the
/// CLI, while they wait (<see cref="WaitAsync"/>).</para>
/// </summary>
public partial class RevocationVerifier(
    VerificationOutbox outbox,
    IUserDirectory directory,
    IRevocationLedger ledger,
    WriteBackRecord writeBack,
    IOptions<WriteBackOptions> writeBackOptions,
    IOptions<NotificationOptions> notifications,
    IOptions<VerificationOptions> options,
    IOptions<GuardOptions> guards,
    RevocationMetrics metrics,
    TimeProvider time,
    ILogger<RevocationVerifier> logger)
{
    /// <summary>Checks made at once by one run of the timer.</summary>
    private const int Concurrency = 8;

    /// <summary>Rows taken per run; the rest wait for the next run.</summary>
    private const int MaxPerRun = 500;

    /// <summary>How long a row taken for a check is not taken again: far longer than one read.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly UserNameLogFormatter names = new(guards);

    public VerificationOptions Options => options.Value;

    /// <summary>Verification is on and has a store: the pipeline records a check for each revocation.</summary>
    public virtual bool CanSchedule => options.Value.Enabled && outbox.IsConfigured;

    /// <summary>
    /// Records the revocation to prove, first due one interval from now. Never throws: a store that cannot take it is
    /// logged and counted, and the answer is <see cref="VerificationState.NotScheduled"/>; null when verification is off.
    /// </summary>
    public virtual async Task<VerificationStatus?> ScheduleAsync(VerificationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (!CanSchedule)
            return null;
        try
        {
            await outbox.AddAsync(ticket, time.GetUtcNow() + options.Value.Interval, ticket.RevokedAt + options.Value.Timeout, cancellationToken);
            return VerificationStatus.Pending;
        }
        catch (VerificationStoreException ex)
        {
            LogNotScheduled(logger, ticket.RequestId, ticket.UserId, ex.Message);
            metrics.Verification(VerificationState.NotScheduled, ticket.SourceKind);
            return new VerificationStatus(VerificationState.NotScheduled);
        }
    }

    /// <summary>
    /// One run of the verification timer: every due check, side by side. A proven or expired one is recorded and its
    /// row removed; any other is due again one interval later. Never throws for one check's failure.
    /// </summary>
    public async Task<IReadOnlyList<VerificationStatus>> VerifyDueAsync(CancellationToken cancellationToken)
    {
        if (!CanSchedule)
            return [];
        IReadOnlyList<VerificationEntry> due;
        try
        {
            due = await outbox.ListDueAsync(MaxPerRun, cancellationToken);
        }
        catch (VerificationStoreException ex)
        {
            LogStoreUnavailable(logger, ex.Message);
            return [];
        }

        var settled = new System.Collections.Concurrent.ConcurrentBag<VerificationStatus>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, parallel, async (listed, ct) =>
        {
            try
            {
                if (await outbox.ClaimAsync(listed, Lease, ct) is not { } entry)
                    return;
                var (ticket, status) = await CheckAsync(entry.Ticket, entry.Deadline, ct);
                if (status is null)
                {
                    await outbox.RescheduleAsync(entry with { Ticket = ticket }, time.GetUtcNow() + options.Value.Interval, ct);
                    return;
                }
                await SettleAsync(ticket, status, ct);
                await outbox.RemoveAsync(entry, ct);
                settled.Add(status);
            }
            catch (VerificationStoreException ex)
            {
                // The row stays: due again once its lease ends, and checked then.
                LogStoreUnavailable(logger, ex.Message);
            }
        });
        return [.. settled];
    }

    /// <summary>
    /// For a person at the CLI: checks until the revocation is proven or the bound passes, and records the answer as the
    /// timer would. Its check in the outbox (when there is a ledger) is removed, having been done.
    /// </summary>
    public virtual async Task<VerificationStatus> WaitAsync(VerificationTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var deadline = ticket.RevokedAt + options.Value.Timeout;
        for (var check = 0; ; check++)
        {
            // The first read at once (a person is waiting, and one read costs one resource unit), then every interval.
            if (check > 0)
                await Task.Delay(options.Value.Interval, time, cancellationToken);
            var (checkedTicket, status) = await CheckAsync(ticket, deadline, cancellationToken);
            ticket = checkedTicket;
            if (status is null)
                continue;
            await SettleAsync(ticket, status, cancellationToken);
            if (CanSchedule)
            {
                try
                {
                    await outbox.RemoveAsync(new VerificationEntry(VerificationOutbox.RowKeyOf(ticket), ticket, deadline, Azure.ETag.All), cancellationToken);
                }
                catch (VerificationStoreException)
                {
                    // The timer checks it once more and records the same.
                }
            }
            return status;
        }
    }

    /// <summary>One read-back: the proof, the flag once the deadline has passed, or null to check again later.</summary>
    private async Task<(VerificationTicket Ticket, VerificationStatus? Status)> CheckAsync(
        VerificationTicket ticket, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var lookup = await directory.FindAsync(UserIdentifier.ObjectId(Guid.Parse(ticket.UserId)), cancellationToken);
        var now = time.GetUtcNow();
        var read = lookup.User?.SignInSessionsValidFrom;
        ticket = ticket with { Checks = ticket.Checks + 1, LastValidFrom = read ?? ticket.LastValidFrom };
        if (lookup.Status == UserLookupStatus.Failed)
            LogReadFailed(logger, ticket.RequestId, ticket.UserId, lookup.Failure?.StatusCode, lookup.Failure?.Kind ?? GraphFailureKind.Unavailable);
        if (ticket.IsProvedBy(read, options.Value.ClockSkew))
            return (ticket, new VerificationStatus(VerificationState.Verified, read, now));
        return now >= deadline ? (ticket, new VerificationStatus(VerificationState.Unverified, ticket.LastValidFrom)) : (ticket, null);
    }

    /// <summary>Records the answer: the ledger row, the log and metric, and (when the write-back is on) the record and its delivery.</summary>
    private async Task SettleAsync(VerificationTicket ticket, VerificationStatus status, CancellationToken cancellationToken)
    {
        var user = names.Format(ticket.UserPrincipalName ?? ticket.UserId);
        if (status.State == VerificationState.Verified)
        {
            LogVerified(logger, ticket.RequestId, ticket.UserId, status.SessionsValidFrom, ticket.RevokedAt, ticket.Checks);
        }
        else
        {
            LogUnverified(logger, ticket.RequestId, ticket.UserId, user, ticket.RevokedAt, VerificationOutbox.Format(status.SessionsValidFrom),
                options.Value.Timeout, ticket.Checks);
        }
        metrics.Verification(status.State, ticket.SourceKind);

        if (ticket.LedgerRow is { } row)
        {
            try
            {
                await ledger.RecordVerificationAsync(row, status, cancellationToken);
            }
            catch (LedgerUnavailableException)
            {
                // Logged by the ledger; the log event above is the record.
            }
        }
        if ((writeBackOptions.Value.AnyEnabled || notifications.Value.AnyEnabled)
            && WriteBackKey.TryParse(ticket.WriteBackKey, out var key) && ticket.TargetKey is { } targetKey)
        {
            await writeBack.SaveVerificationAsync(key, targetKey, ticket.RequestId, status);
        }
    }

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning,
        Message = "Revocation of user {UserId} for request {RequestId} stands, but its verification could not be scheduled ({Problem}): "
            + "nobody will check that Graph applied it")]
    private static partial void LogNotScheduled(ILogger logger, string requestId, string userId, string problem);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information,
        Message = "Revocation of user {UserId} for request {RequestId} verified: Graph shows sign-in sessions valid from {SessionsValidFrom} "
            + "(revocation started {RevokedAt}; {Checks} read(s))")]
    private static partial void LogVerified(ILogger logger, string requestId, string userId, DateTimeOffset? sessionsValidFrom, DateTimeOffset revokedAt, int checks);

    [LoggerMessage(EventId = 903, Level = LogLevel.Warning,
        Message = "Revocation of user {UserId} ({User}) for request {RequestId} is UNVERIFIED: Graph answered success at {RevokedAt}, but its "
            + "sign-in sessions timestamp still reads {SessionsValidFrom} after {Timeout} ({Checks} read(s)). Check the user's sessions and revoke again by hand")]
    private static partial void LogUnverified(ILogger logger, string requestId, string userId, string? user, DateTimeOffset revokedAt, string sessionsValidFrom,
        TimeSpan timeout, int checks);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning,
        Message = "Verification store unavailable ({Problem}): due checks wait for the next run")]
    private static partial void LogStoreUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information,
        Message = "Verification read for user {UserId} (request {RequestId}) failed: {StatusCode} {FailureKind}; it is read again")]
    private static partial void LogReadFailed(ILogger logger, string requestId, string userId, int? statusCode, GraphFailureKind failureKind);
}
