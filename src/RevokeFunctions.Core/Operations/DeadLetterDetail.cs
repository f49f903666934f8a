using System.Globalization;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Operations;

/// <summary>
/// Everything one dead letter holds, for <c>revoke dlq show</c>: the summary, the message's own fields, every
/// application property, and the body pretty-printed and capped.
/// </summary>
public sealed record DeadLetterDetail(DeadLetter Letter, DeadLetterBody Body)
{
    public string? Subject { get; init; }

    public string? ContentType { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Deliveries before it was dead-lettered (Service Bus's count; the app's own attempts are <c>RevokeAttempt</c>).</summary>
    public int DeliveryCount { get; init; }

    /// <summary>Every application property, by name, as text.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    public static DeadLetterDetail From(ServiceBusReceivedMessage message, int maxBodyChars, PayloadParser? parser = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var properties = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in message.ApplicationProperties)
            properties[name] = Format(value);
        return new DeadLetterDetail(DeadLetter.From(message, parser), DeadLetterBody.From(message, maxBodyChars))
        {
            Subject = message.Subject,
            ContentType = message.ContentType,
            CorrelationId = message.CorrelationId,
            DeliveryCount = message.DeliveryCount,
            Properties = properties,
        };
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.ToString("O", CultureInfo.InvariantCulture),
        DateTime at => at.ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
