using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Comments on the source (section <c>WriteBack</c>): the Sentinel incident or the Defender XDR alert a request came
/// from is told what was done. Each part is off until switched on.
/// </summary>
public sealed class WriteBackOptions
{
    public const string SectionName = "WriteBack";

    /// <summary>Sentinel's stable incident-comments API version when this was written.</summary>
    public const string DefaultSentinelApiVersion = "2025-09-01";

    /// <summary>
    /// Comment on the Sentinel incident (its ARM resource ID is in the payload) through Azure Resource Manager. Needs
    /// the role Microsoft Sentinel Responder on the workspace for the app's managed identity.
    /// </summary>
    public bool SentinelComments { get; set; }

    /// <summary>
    /// Comment on the Defender XDR alert through Microsoft Graph (<c>POST /security/alerts_v2/{id}/comments</c>). Needs
    /// the Graph application permission <c>SecurityAlert.ReadWrite.All</c>.
    /// </summary>
    public bool DefenderComments { get; set; }

    /// <summary>Azure Resource Manager's endpoint; a national cloud's, or a local stand-in in tests.</summary>
    [Required]
    public Uri ArmBaseUrl { get; set; } = new("https://management.azure.com");

    [Required]
    [RegularExpression("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", ErrorMessage = "WriteBack:SentinelApiVersion must look like 2025-09-01.")]
    public string SentinelApiVersion { get; set; } = DefaultSentinelApiVersion;

    /// <summary>Tries per write-back call within one delivery (the HTTP resilience handler's retries, honouring Retry-After).</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait after the first failed try; it doubles after each further one.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound for one try of a call to ARM or the webhook (the resilience handler's attempt timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Deliveries of one request's write-back before its failures are left in the record: each delivery retries its
    /// calls (<see cref="MaxAttempts"/>), and a channel still failing makes the outbox try again later.
    /// </summary>
    [Range(1, 20)]
    public int MaxDeliveries { get; set; } = 6;

    /// <summary>Wait after a delivery that left a channel failed; it doubles after each further one (at most an hour).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    public bool AnyEnabled => SentinelComments || DefenderComments;
}
