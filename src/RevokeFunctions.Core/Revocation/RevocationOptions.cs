using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Revocation;

/// <summary>How the pipeline works through a payload (section <c>Revocation</c>).</summary>
public sealed class RevocationOptions
{
    public const string SectionName = "Revocation";

    /// <summary>Targets of one payload worked on at once; Graph's write limit, not this, is the real ceiling.</summary>
    [Range(1, 64)]
    public int MaxConcurrentTargets { get; set; } = 8;
}
