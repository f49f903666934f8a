using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Graph;

/// <summary>
/// One Graph budget for all instances of the app (section <c>Graph:RateLimit:Shared</c>): each instance with Graph
/// calls to make checks in to a roster in the ledger's table and takes 1/k of <see cref="GraphRateLimitOptions"/>'
/// write limit, k being the instances that checked in lately as writing, and 1/n of the resource units, n counting
/// those that only read as well (see <see cref="GraphBudget"/>).
/// </summary>
public sealed class GraphBudgetOptions
{
    /// <summary>Off: this instance takes the whole budget (one instance only, or diagnosis). Without a ledger it is off anyway.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often a busy instance checks in and re-reads the roster. An instance not seen for three intervals no longer
    /// counts; one that joins is counted by the others within one interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The instance count assumed while the roster cannot be read (storage down, no permission): each instance then takes
    /// 1/<c>FallbackInstances</c> of the limits, so even that many instances together stay under Graph's quota. Keep it at
    /// or above the deployment's <c>maximumInstanceCount</c>.
    /// </summary>
    [Range(1, 1000)]
    public int FallbackInstances { get; set; } = 40;
}
