using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Queue;

/// <summary>
/// Sends to the revocation queue with the <see cref="ServiceBusSender"/> registered through Microsoft.Extensions.Azure.
/// Without a configured namespace there is no sender; every send then fails as "unavailable", so the HTTP trigger
/// answers 503 rather than accepting what it cannot keep, and the CLI and tests run without a namespace.
/// </summary>
public sealed class ServiceBusRevocationQueue(ServiceBusSender? sender) : IRevocationQueue
{
    public const string JsonContentType = "application/json";

    public async Task SendAsync(QueuedRevocation message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (sender is null)
        {
            throw new RevocationQueueUnavailableException(
                $"No Service Bus namespace is configured ({QueueOptions.NamespaceSetting.Replace(":", "__", StringComparison.Ordinal)}); the revocation queue cannot be used.");
        }

        var outgoing = ToServiceBusMessage(message);
        try
        {
            if (message.ScheduledFor is { } at)
                await sender.ScheduleMessageAsync(outgoing, at, cancellationToken);
            else
                await sender.SendMessageAsync(outgoing, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new RevocationQueueUnavailableException(
                $"The revocation queue {sender.EntityPath} did not accept message {message.MessageId}: {ex.GetType().Name}.", ex);
        }
    }

    public static ServiceBusMessage ToServiceBusMessage(QueuedRevocation message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outgoing = new ServiceBusMessage(message.Body)
        {
            MessageId = message.MessageId,
            ContentType = JsonContentType,
            Subject = message.Subject,
            CorrelationId = message.CorrelationId,
        };
        foreach (var (name, value) in message.CarriedProperties ?? new Dictionary<string, object>())
        {
            // Service Bus's own dead-letter stamps would make every later copy look like an operator's resubmission.
            if (name is not (QueueProperties.ServiceBusDeadLetterReason or QueueProperties.ServiceBusDeadLetterErrorDescription)
                && !name.StartsWith("Revoke", StringComparison.Ordinal))
            {
                outgoing.ApplicationProperties[name] = value;
            }
        }
        foreach (var (name, value) in message.Envelope.ToProperties())
            outgoing.ApplicationProperties[name] = value;
        return outgoing;
    }
}
