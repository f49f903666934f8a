using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// What became of a request once an entry point has decided where every target goes: the pipeline's result plus what
/// the entry point did with the unfinished ones (queued for a retry, dead-lettered). The write-back reports this.
/// </summary>
/// <param name="Context">The request as the pipeline saw it.</param>
/// <param name="Result">The pipeline's result for this attempt.</param>
public sealed record RequestOutcome(RevocationContext Context, RevocationResult Result)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Where the request came from; the result's own when it has one.</summary>
    public SourceReference? Source { get; init; } = Result.Source;

    /// <summary>The dead letter the queue message ends in, if it does.</summary>
    public DeadLetterNotice? DeadLetter { get; init; }

    /// <summary>Targets (<see cref="TargetKey"/>) the dead letter lists: an operator has to act on them.</summary>
    public IReadOnlySet<string> DeadLettered { get; init; } = None;

    /// <summary>Targets (<see cref="TargetKey"/>) handed to the revocation queue for a retry or a scheduled date.</summary>
    public IReadOnlySet<string> Pending { get; init; } = None;

    /// <summary>Object IDs of the protected accounts revoked now (<see cref="TargetResult.ProtectedAccount"/>).</summary>
    public IReadOnlySet<string> ProtectedUserIds { get; init; } = Result.Targets
        .Where(t => t.ProtectedAccount && t.UserId is not null)
        .Select(t => t.UserId!)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>An HTTP request: the targets in <paramref name="followUps"/> went to the queue, everything else is final.</summary>
    public static RequestOutcome ForHttp(RevocationContext context, RevocationResult result, IReadOnlyList<QueuedRevocation> followUps)
    {
        ArgumentNullException.ThrowIfNull(followUps);
        return new RequestOutcome(context, result) { Pending = KeysOf(followUps) };
    }

    /// <summary>A queue attempt: its copies carry the pending targets on, its dead letter lists the ones left to an operator.</summary>
    public static RequestOutcome ForQueue(RevocationContext context, RevocationResult result, SettlementPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var dead = plan.DeadLetter is { } notice
            && notice.Properties.TryGetValue(QueueProperties.PendingTargets, out var listed) && listed is string keys
                ? TargetKey.Split(keys).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
        return new RequestOutcome(context, result)
        {
            DeadLetter = plan.DeadLetter,
            DeadLettered = dead,
            Pending = KeysOf(plan.FollowUps),
        };
    }

    private static HashSet<string> KeysOf(IEnumerable<QueuedRevocation> followUps) =>
        followUps.SelectMany(f => f.Envelope.PendingTargets).ToHashSet(StringComparer.Ordinal);
}
