using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Tests.Operations;

/// <summary>
/// The real <see cref="ServiceBusReceiver"/> type on <c>revocations/$deadletterqueue</c>, its virtual members
/// overridden to work on a <see cref="DeadLetterSubQueue"/>, or to fail the way Service Bus fails.
/// </summary>
public sealed class DeadLetterReceiver(DeadLetterSubQueue subQueue, string entityPath = "revocations/$deadletterqueue") : ServiceBusReceiver
{
    /// <summary>Thrown by every peek and receive: a missing role, an unknown namespace.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Thrown by a complete instead of completing: the process dying between the send and the complete.</summary>
    public Exception? CompleteFailure { get; set; }

    public int Received { get; private set; }

    public override string EntityPath => entityPath;

    public override string FullyQualifiedNamespace => "contoso-revoke.servicebus.windows.net";

    public override ServiceBusReceiveMode ReceiveMode => ServiceBusReceiveMode.PeekLock;

    public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is not null)
            throw Failure;
        return Task.FromResult(subQueue.Peek(maxMessages, fromSequenceNumber));
    }

    public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Failure is not null)
            throw Failure;
        var locked = subQueue.Lock(maxMessages);
        Received += locked.Count;
        return Task.FromResult(locked);
    }

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        if (CompleteFailure is not null)
            throw CompleteFailure;
        subQueue.Complete(message);
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        subQueue.Abandon(message);
        return Task.CompletedTask;
    }
}
