namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// Maps a decoded path to the Graph operation it names. Segment names compare case-insensitively, as Graph's do, and an
/// action may be namespace-qualified (<c>microsoft.graph.revokeSignInSessions</c>).
/// </summary>
internal readonly record struct GraphRoute(GraphOperation Operation, string Key = "", string Allow = "")
{
    private const string ActionNamespace = "microsoft.graph.";

    /// <summary>Counted against <see cref="GraphSandboxOptions.WriteLimitPerSecond"/>. checkMemberGroups is a POST but reads.</summary>
    public bool IsWrite => Operation is GraphOperation.UpdateUser or GraphOperation.RevokeSignInSessions
        or GraphOperation.SendMail or GraphOperation.AddAlertComment;

    /// <summary>Graph's resource-unit cost: a collection read costs 2, everything else 1.</summary>
    public int ResourceUnits => Operation == GraphOperation.ListUsers ? 2 : 1;

    public static GraphRoute Match(string method, IReadOnlyList<string> segments)
    {
        // POST /security/alerts_v2/{alertId}/comments
        if (segments.Count == 5 && Is(segments[0], "v1.0") && Is(segments[1], "security") && Is(segments[2], "alerts_v2")
            && segments[3].Length > 0 && Is(segments[4], "comments"))
        {
            return Only(method, "POST", GraphOperation.AddAlertComment, segments[3]);
        }
        if (segments.Count < 2 || !Is(segments[0], "v1.0") || !Is(segments[1], "users"))
            return new GraphRoute(GraphOperation.UnknownRoute);
        if (segments.Count == 2)
            return Only(method, "GET", GraphOperation.ListUsers, "");

        var key = segments[2];
        if (key.Length == 0)
            return new GraphRoute(GraphOperation.UnknownRoute);
        if (segments.Count == 3)
        {
            if (HttpMethodIs(method, "GET"))
                return new GraphRoute(GraphOperation.GetUser, key);
            if (HttpMethodIs(method, "PATCH"))
                return new GraphRoute(GraphOperation.UpdateUser, key);
            return new GraphRoute(GraphOperation.MethodNotAllowed, key, "GET, PATCH");
        }

        if (segments.Count == 4)
        {
            var action = segments[3].StartsWith(ActionNamespace, StringComparison.OrdinalIgnoreCase)
                ? segments[3][ActionNamespace.Length..]
                : segments[3];
            if (Is(action, "revokeSignInSessions"))
                return Only(method, "POST", GraphOperation.RevokeSignInSessions, key);
            if (Is(action, "checkMemberGroups"))
                return Only(method, "POST", GraphOperation.CheckMemberGroups, key);
            if (Is(action, "sendMail"))
                return Only(method, "POST", GraphOperation.SendMail, key);
            if (Is(segments[3], "manager"))
                return Only(method, "GET", GraphOperation.GetManager, key);
        }

        return new GraphRoute(GraphOperation.UnknownRoute);
    }

    private static GraphRoute Only(string method, string allowed, GraphOperation operation, string key) =>
        HttpMethodIs(method, allowed)
            ? new GraphRoute(operation, key)
            : new GraphRoute(GraphOperation.MethodNotAllowed, key, allowed);

    private static bool Is(string segment, string name) => string.Equals(segment, name, StringComparison.OrdinalIgnoreCase);

    private static bool HttpMethodIs(string method, string expected) => string.Equals(method, expected, StringComparison.OrdinalIgnoreCase);
}
