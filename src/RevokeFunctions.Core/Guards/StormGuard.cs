using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Hosting;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Guards;

/// <summary>
/// The storm guard, counted in Azure Table storage so that every scaled-out instance shares one count: one row per
/// origin (automated, leaver) holds the distinct users admitted within the sliding window. Each decision is a
/// read-modify-write of that row guarded by its ETag; a writer that loses the race reads again and decides again, so
/// two instances can never both admit the last free place.
/// </summary>
/// <remarks>
/// A sliding window (every user carries the time it was last admitted) rather than fixed buckets: with fixed buckets
/// a burst straddling a boundary could revoke twice the limit within one window's length. The cost is that the row
/// lists the users themselves, which caps the limits at <see cref="StormGuardOptions.MaxLimit"/>.
/// If the count cannot be read or written the decision is <see cref="StormGuardDecision.IsUnavailable"/>: the guard
/// fails closed and the caller retries later, rather than letting automation revoke without a ceiling.
/// </remarks>
public sealed partial class StormGuard : IStormGuard
{
    internal const string PartitionKey = "storm-guard";
    private const string UsersProperty = "Users";
    private const string CountProperty = "Count";
    private const string LimitProperty = "Limit";
    private const string TrippedAtProperty = "TrippedAt";
    private const string RefusedProperty = "RefusedSinceTrip";
    private const string LastRefusedRequestProperty = "LastRefusedRequestId";

    /// <summary>Read-decide-write rounds before giving up under contention; each loser waits a little, at random.</summary>
    private const int MaxAttempts = 40;

    private readonly GuardOptions options;
    private readonly RevocationMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger<StormGuard> logger;
    private readonly TableOnFirstUse table;

    public StormGuard(TableServiceClient tables, IOptions<GuardOptions> options, RevocationMetrics metrics, TimeProvider time, ILogger<StormGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        table = new TableOnFirstUse(tables, this.options.StormGuard.TableName);
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
    }

    public async Task<StormGuardDecision> AdmitAsync(StormGuardRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Origin == RequestOrigin.Person || request.UserIds.Count == 0)
            return StormGuardDecision.Unlimited;

        var limit = request.Origin == RequestOrigin.Leaver ? options.StormGuard.LeaverMaxUsers : options.StormGuard.MaxUsers;
        var window = options.StormGuard.Window;
        var rowKey = request.Origin.ToString().ToLowerInvariant();
        try
        {
            var client = await table.GetAsync(cancellationToken);
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var outcome = await TryDecideAsync(client, rowKey, request, limit, window, cancellationToken);
                if (outcome is not null)
                    return outcome;
                // Lost the race: someone else wrote the row since we read it.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 + (5 * attempt))), cancellationToken);
            }
            LogUnavailable(logger, request.RequestId, request.Origin, "too much contention on the count");
            return StormGuardDecision.Unavailable(
                $"The storm guard's count stayed contended after {MaxAttempts} attempts; the request will be retried.");
        }
        catch (Exception ex) when (DependencyFailure.IsStorageFailure(ex)
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // An error answer, the SDK's retries exhausted (AggregateException), no token for storage, or no answer at all:
            // fail closed, and let the caller retry.
            var problem = ex is OperationCanceledException ? "no answer in time" : DependencyFailure.Describe(ex);
            LogUnavailable(logger, request.RequestId, request.Origin, "Table storage: " + problem);
            return StormGuardDecision.Unavailable(
                $"The storm guard's count in Table storage could not be read or written ({problem}); "
                + "nobody was revoked now and the request will be retried. Check the storage account and the app's Storage Table Data Contributor role.");
        }
    }

    /// <summary>One read-decide-write round; null when another writer got there first.</summary>
    private async Task<StormGuardDecision?> TryDecideAsync(
        TableClient client, string rowKey, StormGuardRequest request, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var existing = await client.GetEntityIfExistsAsync<TableEntity>(PartitionKey, rowKey, cancellationToken: cancellationToken);
        var entity = existing.HasValue ? existing.Value! : new TableEntity(PartitionKey, rowKey);

        var users = StormGuardWindow.Parse(entity.GetString(UsersProperty));
        users.Prune(now - window);
        var trippedAt = entity.GetDateTimeOffset(TrippedAtProperty);
        var refusedSinceTrip = entity.GetInt32(RefusedProperty) ?? 0;
        if (trippedAt is not null && users.Count < limit)
        {
            // The window has drained below the limit: the episode is over, and the next trip is news again.
            trippedAt = null;
            refusedSinceTrip = 0;
        }

        var refused = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var userId in request.UserIds)
        {
            if (users.Contains(userId) || users.Count < limit)
                users.Touch(userId, now);
            else
                refused.Add(userId);
        }

        var decision = new StormGuardDecision(refused, limit, window, users.Count);
        if (request.DryRun)
            return decision;

        var firstTrip = refused.Count > 0 && trippedAt is null;
        if (firstTrip)
            trippedAt = now;
        if (refused.Count > 0)
        {
            refusedSinceTrip += refused.Count;
            entity[LastRefusedRequestProperty] = request.RequestId;
        }
        entity[UsersProperty] = users.Serialize();
        entity[CountProperty] = users.Count;
        entity[LimitProperty] = limit;
        entity[TrippedAtProperty] = trippedAt;
        entity[RefusedProperty] = refusedSinceTrip;

        try
        {
            if (existing.HasValue)
                await client.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            else
                await client.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }

        if (firstTrip)
        {
            LogTripped(logger, request.Origin, users.Count, window.ToString("c", CultureInfo.InvariantCulture), limit, request.RequestId, request.SourceKind);
            metrics.StormGuardTripped(request.SourceKind);
        }
        if (refused.Count > 0)
            LogRefused(logger, refused.Count, request.RequestId, request.Origin, limit);
        return decision;
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Error,
        Message = "Storm guard tripped for {Origin} sources: {Count} distinct users revoked within {Window} reached the limit of {Limit}; "
            + "further targets are refused (StormGuard) and dead-lettered for review. First refused request {RequestId} from {Source}")]
    private static partial void LogTripped(ILogger logger, RequestOrigin origin, int count, string window, int limit, string requestId, string source);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning,
        Message = "Storm guard refused {RefusedCount} users of request {RequestId} ({Origin} sources, limit {Limit})")]
    private static partial void LogRefused(ILogger logger, int refusedCount, string requestId, RequestOrigin origin, int limit);

    [LoggerMessage(EventId = 712, Level = LogLevel.Error,
        Message = "Storm guard unavailable for request {RequestId} ({Origin} sources): {Problem}; nobody is revoked until it answers")]
    private static partial void LogUnavailable(ILogger logger, string requestId, RequestOrigin origin, string problem);
}
