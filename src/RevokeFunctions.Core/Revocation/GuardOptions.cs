using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Revocation;

/// <summary>Guard rails (section <c>Guards</c>), read the same way by the app and the CLI.</summary>
public sealed class GuardOptions
{
    public const string SectionName = "Guards";

    /// <summary>A payload naming more distinct users than this is refused whole (<c>TooManyTargets</c>).</summary>
    [Range(1, 10_000)]
    public int MaxTargets { get; set; } = 100;

    /// <summary>Run everything but the Graph write; outcomes are <c>WouldRevoke</c>.</summary>
    public bool DryRun { get; set; }
}
