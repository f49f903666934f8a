using System.Globalization;
using System.Text;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Operations;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Queue;

namespace RevokeFunctions.Tests.Operations;

/// <summary>Dead letters as the queue handler leaves them, and the operator tool over a <see cref="DeadLetterSubQueue"/>.</summary>
public static class Letters
{
    public const string AliceBody = """{"user":"alice@contoso.com","reason":"phishing"}""";
    public const string Operator = "tessa.morgan@contoso.com";

    /// <summary>A letter with the properties the handler stamps when it dead-letters a request with <paramref name="reason"/>.</summary>
    public static ServiceBusReceivedMessage Add(
        DeadLetterSubQueue subQueue, ReasonCode reason, string body = AliceBody, string? requestId = null, int attempt = 1,
        string? pendingTargets = null, string? userIds = null, string? reasonCodes = null, int? resubmissions = null,
        DateTimeOffset? enqueuedAt = null, string? messageId = null)
    {
        messageId ??= Guid.NewGuid().ToString("D");
        var properties = new Dictionary<string, object>
        {
            [QueueProperties.RequestId] = requestId ?? messageId,
            [QueueProperties.OriginalMessageId] = messageId,
            [QueueProperties.FirstEnqueuedUtc] = (enqueuedAt ?? DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture),
            [QueueProperties.Attempt] = attempt,
            [QueueProperties.ServiceBusDeadLetterReason] = reason.ToString(),
            [QueueProperties.ServiceBusDeadLetterErrorDescription] = $"{reason}: act on it, then resubmit this message.",
        };
        if (pendingTargets is not null)
            properties[QueueProperties.PendingTargets] = pendingTargets;
        if (userIds is not null)
            properties[QueueProperties.UserIds] = userIds;
        if (reasonCodes is not null)
            properties[QueueProperties.ReasonCodes] = reasonCodes;
        if (resubmissions is not null)
            properties[ResubmissionProperties.Count] = resubmissions.Value;
        return subQueue.Add(Encoding.UTF8.GetBytes(body), properties, messageId, enqueuedAt: enqueuedAt);
    }

    /// <summary>What Service Bus puts in the dead-letter queue when the handler dead-letters <paramref name="delivered"/>.</summary>
    public static ServiceBusReceivedMessage Add(DeadLetterSubQueue subQueue, ServiceBusReceivedMessage delivered, SubstituteSettlement.SettlementCall deadLetter)
    {
        Assert.Equal(SubstituteSettlement.Kind.DeadLetter, deadLetter.Kind);
        var properties = new Dictionary<string, object>(delivered.ApplicationProperties);
        foreach (var (name, value) in deadLetter.Properties)
            properties[name] = value;
        properties[QueueProperties.ServiceBusDeadLetterReason] = deadLetter.Reason!;
        properties[QueueProperties.ServiceBusDeadLetterErrorDescription] = deadLetter.Description!;
        return subQueue.Add(delivered.Body.ToArray(), properties, delivered.MessageId, delivered.ContentType, delivered.EnqueuedTime, delivered.Subject);
    }

    public static DeadLetterQueue Tool(DeadLetterReceiver receiver, DeduplicatingSender sender, TimeProvider? time = null) =>
        new(receiver, sender, new FixedOperator(Operator), time ?? TimeProvider.System, FormatParsing.Parser);

    /// <summary>What the main queue delivers for a copy the tool sent.</summary>
    public static ServiceBusReceivedMessage Delivered(ServiceBusMessage copy) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: copy.Body,
            messageId: copy.MessageId,
            correlationId: copy.CorrelationId,
            subject: copy.Subject,
            contentType: copy.ContentType,
            properties: new Dictionary<string, object>(copy.ApplicationProperties),
            lockTokenGuid: Guid.NewGuid(),
            deliveryCount: 1,
            sequenceNumber: Random.Shared.NextInt64(1, long.MaxValue),
            enqueuedTime: DateTimeOffset.UtcNow);

    public sealed class FixedOperator(string name) : IOperatorIdentity
    {
        public Task<string> GetNameAsync(CancellationToken cancellationToken) => Task.FromResult(name);
    }
}
