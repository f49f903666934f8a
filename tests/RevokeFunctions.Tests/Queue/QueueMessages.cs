using System.Text;
using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Tests.Queue;

/// <summary>Builds the <see cref="ServiceBusReceivedMessage"/>s the trigger would hand over, with the SDK's model factory.</summary>
public static class QueueMessages
{
    public static ServiceBusReceivedMessage Received(
        string body, string? contentType = "application/json", string? messageId = null,
        IDictionary<string, object>? properties = null, DateTimeOffset? enqueuedAt = null, int deliveryCount = 1) =>
        Received(Encoding.UTF8.GetBytes(body), contentType, messageId, properties, enqueuedAt, deliveryCount);

    public static ServiceBusReceivedMessage Received(
        byte[] body, string? contentType = "application/json", string? messageId = null,
        IDictionary<string, object>? properties = null, DateTimeOffset? enqueuedAt = null, int deliveryCount = 1) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: BinaryData.FromBytes(body),
            messageId: messageId ?? Guid.NewGuid().ToString("D"),
            contentType: contentType,
            properties: properties ?? new Dictionary<string, object>(),
            lockTokenGuid: Guid.NewGuid(),
            deliveryCount: deliveryCount,
            sequenceNumber: Random.Shared.NextInt64(1, long.MaxValue),
            enqueuedTime: enqueuedAt ?? DateTimeOffset.UtcNow);

    /// <summary>What Service Bus delivers for a message the app sent or scheduled: the same body, id and properties.</summary>
    public static ServiceBusReceivedMessage Delivered(SubstituteSender.SentMessage sent, DateTimeOffset? enqueuedAt = null) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Message.Body,
            messageId: sent.Message.MessageId,
            correlationId: sent.Message.CorrelationId,
            subject: sent.Message.Subject,
            contentType: sent.Message.ContentType,
            properties: new Dictionary<string, object>(sent.Message.ApplicationProperties),
            lockTokenGuid: Guid.NewGuid(),
            deliveryCount: 1,
            sequenceNumber: Random.Shared.NextInt64(1, long.MaxValue),
            enqueuedTime: enqueuedAt ?? sent.ScheduledFor ?? DateTimeOffset.UtcNow);

    /// <summary>What an operator's "resubmit" from the dead-letter queue sends: the body and the dead-lettered properties.</summary>
    public static ServiceBusReceivedMessage Resubmitted(ServiceBusReceivedMessage original, SubstituteSettlement.SettlementCall deadLetter)
    {
        var properties = new Dictionary<string, object>(original.ApplicationProperties);
        foreach (var (name, value) in deadLetter.Properties)
            properties[name] = value;
        properties["DeadLetterReason"] = deadLetter.Reason!;
        properties["DeadLetterErrorDescription"] = deadLetter.Description!;
        return Received(original.Body.ToArray(), original.ContentType, Guid.NewGuid().ToString("D"), properties);
    }
}
