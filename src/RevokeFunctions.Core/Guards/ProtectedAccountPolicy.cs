using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Users.Item.CheckMemberGroups;
using RevokeFunctions.Graph;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Users;

namespace RevokeFunctions.Guards;

/// <summary>
/// Protected accounts: the configured object IDs and UPNs, and the transitive members of the protected groups, asked
/// of Graph with <c>POST /users/{id}/checkMemberGroups</c> (needs <c>GroupMember.Read.All</c>). Answers are cached
/// for a few minutes per user, so a storm of alerts does not become a storm of Graph calls. A Graph failure is
/// returned as <see cref="ProtectionStatus.Unknown"/>, never as "not protected": the caller treats it as a transient
/// failure and retries, because revoking the CEO on a failed check is the mistake this guard exists to prevent.
/// </summary>
public sealed partial class ProtectedAccountPolicy : IProtectedAccountPolicy
{
    /// <summary>How long a membership answer is reused. A member added to a protected group is protected within this.</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(5);

    /// <summary>Users whose answer is kept; beyond it expired entries go first, then everything.</summary>
    public const int CacheCapacity = 10_000;

    /// <summary>Graph accepts at most 20 group IDs in one checkMemberGroups call.</summary>
    private const int GroupsPerCall = 20;

    private const string Operation = "checkMemberGroups";

    private readonly GraphServiceClient graph;
    private readonly RevocationMetrics metrics;
    private readonly TimeProvider time;
    private readonly UserNameLogFormatter names;
    private readonly ILogger<ProtectedAccountPolicy> logger;
    private readonly ProtectedAccountList accounts;
    private readonly string[] groups;
    private readonly ConcurrentDictionary<string, CachedMembership> cache = new(StringComparer.OrdinalIgnoreCase);

    public ProtectedAccountPolicy(
        GraphServiceClient graph,
        IOptions<GuardOptions> options,
        RevocationMetrics metrics,
        TimeProvider time,
        UserNameLogFormatter names,
        ILogger<ProtectedAccountPolicy> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.graph = graph;
        this.metrics = metrics;
        this.time = time;
        this.names = names;
        this.logger = logger;
        accounts = new ProtectedAccountList(options.Value.ProtectedAccounts);
        groups = [.. options.Value.ProtectedGroups
            .Select(g => Guid.TryParse(g, out var id) ? id.ToString("D") : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];
    }

    public async Task<ProtectionStatus> CheckAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (accounts.Contains(user))
            return ProtectionStatus.Protected($"listed in {GuardOptions.SectionName}:ProtectedAccounts");
        if (groups.Length == 0)
            return ProtectionStatus.Unprotected;

        var now = time.GetUtcNow();
        if (cache.TryGetValue(user.Id, out var cached) && cached.Expires > now)
            return cached.Status;

        var status = await AskGraphAsync(user, cancellationToken);
        if (!status.IsUnknown)
            Remember(user.Id, status, now);
        return status;
    }

    private async Task<ProtectionStatus> AskGraphAsync(DirectoryUser user, CancellationToken cancellationToken)
    {
        foreach (var chunk in groups.Chunk(GroupsPerCall))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await graph.Users[user.Id].CheckMemberGroups.PostAsCheckMemberGroupsPostResponseAsync(
                    new CheckMemberGroupsPostRequestBody { GroupIds = [.. chunk] }, cancellationToken: cancellationToken);
                metrics.GraphCall(Operation, Stopwatch.GetElapsedTime(started), 200);
                var member = response?.Value?.FirstOrDefault(id => chunk.Contains(id, StringComparer.OrdinalIgnoreCase));
                if (member is not null)
                    return ProtectionStatus.Protected($"member of the protected group {member.ToLowerInvariant()}");
            }
            catch (Exception ex) when (GraphFailureClassifier.Classify(ex, cancellationToken) is { } failure)
            {
                metrics.GraphCall(Operation, Stopwatch.GetElapsedTime(started), failure.StatusCode);
                if (failure.Kind == GraphFailureKind.Throttled)
                    metrics.GraphThrottled(Operation);
                LogCheckFailed(logger, user.Id, names.Format(user.UserPrincipalName), failure.Kind, failure.StatusCode);
                return ProtectionStatus.Unknown(failure);
            }
        }
        return ProtectionStatus.Unprotected;
    }

    private void Remember(string userId, ProtectionStatus status, DateTimeOffset now)
    {
        if (cache.Count >= CacheCapacity)
        {
            foreach (var (key, entry) in cache)
            {
                if (entry.Expires <= now)
                    cache.TryRemove(key, out _);
            }
            if (cache.Count >= CacheCapacity)
                cache.Clear();
        }
        cache[userId] = new CachedMembership(status, now + CacheDuration);
    }

    private sealed record CachedMembership(ProtectionStatus Status, DateTimeOffset Expires);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning,
        Message = "Could not check protected-group membership of user {UserId} ({UserPrincipalName}): Graph {FailureKind} {StatusCode}; the user is not revoked now")]
    private static partial void LogCheckFailed(ILogger logger, string userId, string? userPrincipalName, GraphFailureKind failureKind, int? statusCode);
}
