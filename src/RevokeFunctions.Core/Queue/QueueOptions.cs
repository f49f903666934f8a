using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Queue;

/// <summary>How the Service Bus intake retries (section <c>Queue</c>).</summary>
public sealed class QueueOptions : IValidatableObject
{
    public const string SectionName = "Queue";

    /// <summary>The app setting the trigger's <c>%RevocationQueueName%</c> reads; the sender uses the same one.</summary>
    public const string QueueNameSetting = "RevocationQueueName";

    /// <summary>The connection section of the trigger (<c>Connection = "ServiceBus"</c>) and of the sender.</summary>
    public const string NamespaceSetting = "ServiceBus:fullyQualifiedNamespace";

    /// <summary>Queue the HTTP fallback and the retries are sent to; <c>RevocationQueueName</c> overrides it.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9._/-]{0,259}$")]
    public string QueueName { get; set; } = "revocations";

    /// <summary>Attempts (each with the Graph SDK's own retries) before a transient failure becomes <c>TransientExhausted</c>.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait before the second attempt; it doubles with every attempt after that.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BackoffBase { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Ceiling of the doubling; a longer Retry-After from Graph still wins.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Random extra wait, as a fraction of the backoff, so retries of one outage do not arrive together.</summary>
    [Range(0.0, 1.0)]
    public double BackoffJitter { get; set; } = 0.2;

    /// <summary>
    /// How long one delivery may work on its targets. Keep it well inside host.json's
    /// <c>serviceBus.maxAutoLockRenewalDuration</c> (10 minutes), leaving room for sending the follow-ups, recording the
    /// write-back in its outbox and the settlement: past it a second instance could get the message while this one
    /// still works on it. Targets not finished by then go on in a continuation copy.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan ProcessingDeadline { get; set; } = TimeSpan.FromMinutes(7);

    /// <summary>Continuation copies of one attempt before it counts as a transient failure (backoff, then a dead letter).</summary>
    [Range(1, 100)]
    public int MaxContinuations { get; set; } = 5;

    /// <summary>
    /// When the follow-up copies cannot be sent, the message is held this long (doubling with each delivery, at most
    /// <see cref="SendFailureBackoffMax"/>, never past the processing deadline) before it is abandoned, so an outage of
    /// the sender does not become a hot loop of redeliveries that each call Graph again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SendFailureBackoff { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SendFailureBackoffMax { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The hold before abandoning the <paramref name="deliveryCount"/>-th delivery whose copies could not be sent.</summary>
    public TimeSpan SendFailureDelay(int deliveryCount)
    {
        var exponent = Math.Clamp(deliveryCount - 1, 0, 20);
        var seconds = Math.Min(SendFailureBackoff.TotalSeconds * Math.Pow(2, exponent), SendFailureBackoffMax.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BackoffMax < BackoffBase)
            yield return new ValidationResult("Queue:BackoffMax must not be shorter than Queue:BackoffBase.", [nameof(BackoffMax)]);
        if (SendFailureBackoffMax < SendFailureBackoff)
            yield return new ValidationResult("Queue:SendFailureBackoffMax must not be shorter than Queue:SendFailureBackoff.", [nameof(SendFailureBackoffMax)]);
    }
}
