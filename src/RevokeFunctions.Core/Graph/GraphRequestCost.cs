namespace RevokeFunctions.Graph;

/// <summary>
/// What one Graph call spends of the identity and access quotas, by Graph's published cost table: a base cost per
/// path and method (list users 2, checkMemberGroups 4, anything else 1), one less with <c>$select</c>, one less with
/// <c>$top</c> under 20, one more with <c>$expand</c>, never below 1. Every POST, PATCH, PUT and DELETE also costs one
/// write, except the read-only actions the table lists with a write cost of 0.
/// </summary>
public readonly record struct GraphRequestCost(int ResourceUnits, int Writes)
{
    // Graph's table names paths under me/; the same costs apply under users/{id}/, which is how this app calls them.
    private static readonly (string Method, string[] Path, int Units, int Writes)[] Table =
    [
        ("GET", ["users"], 2, 0),
        ("GET", ["applications"], 2, 0),
        ("GET", ["groups", "*", "members"], 3, 0),
        ("GET", ["groups", "*", "transitiveMembers"], 5, 0),
        ("GET", ["users", "*", "memberOf"], 2, 0),
        ("GET", ["users", "*", "transitiveMemberOf"], 2, 0),
        ("GET", ["users", "*", "licenseDetails"], 2, 0),
        ("GET", ["users", "*", "ownedObjects"], 2, 0),
        ("GET", ["subscribedSkus"], 3, 0),
        ("POST", ["users", "*", "checkMemberGroups"], 4, 0),
        ("POST", ["users", "*", "checkMemberObjects"], 4, 0),
        ("POST", ["users", "*", "getMemberGroups"], 2, 0),
        ("POST", ["users", "*", "getMemberObjects"], 2, 0),
        ("POST", ["directoryObjects", "getByIds"], 3, 0),
        ("POST", ["getObjectsById"], 3, 0),
        ("POST", ["isMemberOf"], 4, 0),
    ];

    private const string ActionNamespace = "microsoft.graph.";

    public static GraphRequestCost Of(HttpMethod method, Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(method);
        var isWrite = method != HttpMethod.Get && method != HttpMethod.Head && method != HttpMethod.Options;
        var segments = uri is null ? [] : Segments(uri);
        var units = 1;
        var writes = isWrite ? 1 : 0;
        foreach (var entry in Table)
        {
            if (string.Equals(entry.Method, method.Method, StringComparison.OrdinalIgnoreCase) && Matches(entry.Path, segments))
            {
                units = entry.Units;
                writes = entry.Writes;
                break;
            }
        }

        if (uri is not null)
            units += QueryAdjustment(uri.Query);
        return new GraphRequestCost(Math.Max(1, units), writes);
    }

    // The first segment is the API version (v1.0, beta), whatever host or national cloud serves it.
    private static string[] Segments(Uri uri)
    {
        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length <= 1 ? [] : parts[1..];
    }

    private static bool Matches(string[] pattern, string[] segments)
    {
        if (pattern.Length != segments.Length)
            return false;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == "*")
                continue;
            var segment = segments[i].StartsWith(ActionNamespace, StringComparison.OrdinalIgnoreCase)
                ? segments[i][ActionNamespace.Length..]
                : segments[i];
            if (!string.Equals(pattern[i], segment, StringComparison.OrdinalIgnoreCase))
                return false;
        }
        return true;
    }

    private static int QueryAdjustment(string query)
    {
        var adjustment = 0;
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (name.Equals("$select", StringComparison.OrdinalIgnoreCase))
                adjustment--;
            else if (name.Equals("$expand", StringComparison.OrdinalIgnoreCase))
                adjustment++;
            else if (name.Equals("$top", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var top)
                && top < 20)
                adjustment--;
        }
        return adjustment;
    }
}
