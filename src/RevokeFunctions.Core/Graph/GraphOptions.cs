using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Graph;

/// <summary>Microsoft Graph client settings (section <c>Graph</c>).</summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    /// <summary>Graph's v1.0 root. Point it elsewhere for a national cloud or a local sandbox; nothing else changes.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Retries the SDK makes on 429/503/504 before giving up (it honours Retry-After).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The SDK's back-off base when Graph gives no Retry-After, in seconds.</summary>
    [Range(0, 180)]
    public int RetryDelaySeconds { get; set; } = 3;

    /// <summary>Upper bound for one Graph call including the SDK's retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
