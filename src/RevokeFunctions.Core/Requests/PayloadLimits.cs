using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Requests;

/// <summary>Hard limits on what a payload may be, checked before anything else (section <c>Limits</c>).</summary>
public sealed class PayloadLimits
{
    public const string SectionName = "Limits";

    /// <summary>Bodies larger than this are refused unread (HTTP 413).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>JSON nesting depth; real alert payloads stay well under 16.</summary>
    [Range(4, 256)]
    public int MaxDepth { get; set; } = 32;

    /// <summary>How many envelopes may wrap a payload (a CloudEvent around a Sentinel incident is one).</summary>
    [Range(0, 4)]
    public int MaxEnvelopeDepth { get; set; } = 1;

    /// <summary>
    /// CloudEvents in one <c>application/cloudevents-batch+json</c> body. Each is a request of its own, processed in turn
    /// within one HTTP call that Event Grid waits at most 30 seconds for: set the subscription's
    /// <c>maxEventsPerBatch</c> at or below this. A larger batch is refused whole (413), before anything is revoked.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchEvents { get; set; } = 50;
}
