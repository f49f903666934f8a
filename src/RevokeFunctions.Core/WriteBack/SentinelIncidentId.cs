using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// A Sentinel incident's ARM resource ID as the payload gave it, accepted only in exactly the shape Sentinel writes
/// (<c>/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{ws}/providers/
/// Microsoft.SecurityInsights/Incidents/{name}</c>), so a payload cannot steer the app's identity anywhere else in ARM.
/// </summary>
public sealed partial record SentinelIncidentId
{
    private SentinelIncidentId(string subscriptionId, string resourceGroup, string workspace, string incident)
    {
        SubscriptionId = subscriptionId;
        ResourceGroup = resourceGroup;
        Workspace = workspace;
        Incident = incident;
    }

    public string SubscriptionId { get; }

    public string ResourceGroup { get; }

    public string Workspace { get; }

    public string Incident { get; }

    /// <summary>The path of a comment under the incident, every segment escaped.</summary>
    public string CommentPath(Guid commentId) =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{Uri.EscapeDataString(ResourceGroup)}"
        + $"/providers/Microsoft.OperationalInsights/workspaces/{Uri.EscapeDataString(Workspace)}"
        + $"/providers/Microsoft.SecurityInsights/incidents/{Uri.EscapeDataString(Incident)}/comments/{commentId:D}";

    public static bool TryParse(string? resourceId, [NotNullWhen(true)] out SentinelIncidentId? incident)
    {
        incident = null;
        if (string.IsNullOrEmpty(resourceId) || resourceId.Length > 1024)
            return false;
        var match = Shape().Match(resourceId);
        if (!match.Success || !Guid.TryParse(match.Groups["subscription"].Value, out var subscription))
            return false;
        var group = match.Groups["group"].Value;
        // A resource group name may not end with a period.
        if (group.EndsWith('.'))
            return false;
        incident = new SentinelIncidentId(subscription.ToString("D"), group, match.Groups["workspace"].Value, match.Groups["incident"].Value);
        return true;
    }

    // Resource groups: letters, digits, '_', '-', '.', '(' and ')' (1-90); workspaces: letters, digits and '-' (4-63);
    // incident names: a GUID in practice, any plain token here. Nothing that could be a path, a query or an escape.
    [GeneratedRegex(
        @"^/subscriptions/(?<subscription>[0-9A-Fa-f-]{36})/resourceGroups/(?<group>[\p{L}\p{Nd}_\-.()]{1,90})"
        + @"/providers/Microsoft\.OperationalInsights/workspaces/(?<workspace>[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9])"
        + @"/providers/Microsoft\.SecurityInsights/incidents/(?<incident>[A-Za-z0-9_-]{1,128})$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Shape();
}
