namespace RevokeFunctions.Requests;

/// <summary>
/// Gathers a payload's targets in order, collapsing repeats of the same identifier (the same user named twice in one
/// incident is one target). Repeats under different identifiers collapse later, after resolution, by object ID.
/// </summary>
public sealed class TargetCollector
{
    private readonly List<RequestedTarget> targets = [];
    private readonly HashSet<string> seen = new(StringComparer.OrdinalIgnoreCase);

    public int Count => targets.Count;

    public void Add(RequestedTarget target)
    {
        var key = string.Join('|', target.Identifiers.Select(i => i.ToString()));
        if (seen.Add(key))
            targets.Add(target);
    }

    public IReadOnlyList<RequestedTarget> ToList() => targets.AsReadOnly();
}
