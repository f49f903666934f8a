using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Queue;

namespace RevokeFunctions.Operations;

/// <summary>
/// The message an operator's resubmission puts on the main queue for one dead letter: the same body, the properties the
/// queue handler reads (request ID, original MessageId as the idempotency key, first arrival, the targets still pending)
/// with the attempt count back at 1, and who resubmitted it, when, and how often.
/// </summary>
public static class ResubmissionCopy
{
    private const int MaxMessageIdLength = 128;

    // Descriptions of the dead-lettering that is over; a copy that fails again gets them written anew.
    private static readonly string[] DeadLetterAnnotations = [QueueProperties.UserIds, QueueProperties.Source, QueueProperties.ReasonCodes];

    public static ServiceBusMessage Create(ServiceBusReceivedMessage letter, string resubmittedBy, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentException.ThrowIfNullOrEmpty(resubmittedBy);
        var count = DeadLetter.ResubmissionsOf(letter.ApplicationProperties) + 1;
        var copy = new ServiceBusMessage(letter.Body)
        {
            MessageId = MessageIdFor(letter, count),
            ContentType = letter.ContentType,
            CorrelationId = letter.CorrelationId,
            Subject = letter.Subject,
        };
        // A session or partition key routes the message; a TTL or schedule is not copied, since an expired TTL may be why it died.
        if (!string.IsNullOrEmpty(letter.SessionId))
            copy.SessionId = letter.SessionId;
        if (!string.IsNullOrEmpty(letter.PartitionKey))
            copy.PartitionKey = letter.PartitionKey;

        foreach (var (name, value) in letter.ApplicationProperties)
        {
            if (!DeadLetterAnnotations.Contains(name, StringComparer.Ordinal))
                copy.ApplicationProperties[name] = value;
        }
        // The operator has acted, so the retries start over; DeadLetterReason stays on the copy, which is how the handler
        // recognises a resubmission too. A letter Service Bus dead-lettered itself (MaxDeliveryCountExceeded) has no
        // Revoke* properties yet: stamping them keeps its request ID and idempotency key those of the original message.
        foreach (var (name, value) in (RevocationEnvelope.Read(letter) with { Attempt = 1 }).ToProperties())
            copy.ApplicationProperties[name] = value;
        copy.ApplicationProperties[ResubmissionProperties.Count] = count;
        copy.ApplicationProperties[ResubmissionProperties.By] = resubmittedBy;
        copy.ApplicationProperties[ResubmissionProperties.AtUtc] = at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        copy.ApplicationProperties[ResubmissionProperties.FromSequenceNumber] = letter.SequenceNumber;
        return copy;
    }

    /// <summary>
    /// The copy's MessageId: the letter's own MessageId and the resubmission count, <c>…-r1</c>, <c>…-r2</c>. The same letter
    /// always gives the same ID, so a rerun after a crash between sending and removing the letter is dropped by the
    /// queue's duplicate detection instead of revoking twice; a letter that comes back after a resubmission carries a
    /// higher count and gets a new ID.
    /// </summary>
    public static string MessageIdFor(ServiceBusReceivedMessage letter, int count)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return MessageIdFor(letter.MessageId, letter.SequenceNumber, count);
    }

    /// <inheritdoc cref="MessageIdFor(ServiceBusReceivedMessage, int)"/>
    public static string MessageIdFor(string? messageId, long sequenceNumber, int count)
    {
        var id = string.IsNullOrEmpty(messageId) ? "seq-" + sequenceNumber.ToString(CultureInfo.InvariantCulture) : messageId;
        var suffix = "-r" + count.ToString(CultureInfo.InvariantCulture);
        return id.Length + suffix.Length <= MaxMessageIdLength
            ? id + suffix
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32] + suffix;
    }
}
