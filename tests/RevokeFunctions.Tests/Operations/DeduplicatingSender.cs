using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Tests.Operations;

/// <summary>
/// The real <see cref="ServiceBusSender"/> type for the main queue, recording what reaches it and dropping a message
/// whose MessageId it already holds, as the queue's duplicate detection does within its window.
/// </summary>
public sealed class DeduplicatingSender(DeadLetterSubQueue log, string entityPath = "revocations") : ServiceBusSender
{
    private readonly List<ServiceBusMessage> queue = [];

    /// <summary>What is on the main queue after duplicate detection.</summary>
    public IReadOnlyList<ServiceBusMessage> Queue
    {
        get
        {
            lock (queue)
                return [.. queue];
        }
    }

    /// <summary>Sends that arrived, duplicates included.</summary>
    public int Sends { get; private set; }

    /// <summary>Thrown by every send.</summary>
    public Exception? Failure { get; set; }

    public override string EntityPath => entityPath;

    public override string FullyQualifiedNamespace => "contoso-revoke.servicebus.windows.net";

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is not null)
            throw Failure;
        lock (queue)
        {
            Sends++;
            log.Record($"send {message.MessageId}");
            if (queue.All(m => m.MessageId != message.MessageId))
                queue.Add(message);
        }
        return Task.CompletedTask;
    }
}
