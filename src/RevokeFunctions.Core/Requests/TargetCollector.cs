namespace RevokeFunctions.Requests;

/// <summary>
/// Gathers a payload's targets in order, collapsing repeats of the same identifier (the same user named twice in one
/// incident is one target). Repeats under different identifiers collapse later, after resolution, by object ID.
/// </summary>
/// <remarks>
/// A repeat keeps the first mention's place and reason but the latest event time: sessions issued between two alerts
/// about the same user are still suspect, so "already revoked" must mean revoked after the last of them.
/// </remarks>
public sealed class TargetCollector
{
    private readonly List<RequestedTarget> targets = [];
    private readonly Dictionary<string, int> seen = new(StringComparer.OrdinalIgnoreCase);

    public int Count => targets.Count;

    public void Add(RequestedTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var key = string.Join('|', target.Identifiers.Select(i => i.ToString()));
        if (!seen.TryGetValue(key, out var index))
        {
            seen[key] = targets.Count;
            targets.Add(target);
        }
        else if (target.EventTime > targets[index].EventTime)
        {
            targets[index] = targets[index] with { EventTime = target.EventTime };
        }
    }

    public IReadOnlyList<RequestedTarget> ToList() => targets.AsReadOnly();
}
