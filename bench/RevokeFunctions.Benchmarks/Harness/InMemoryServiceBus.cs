using System.Threading.Channels;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Queue;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// The part of Service Bus the queue handler touches, in memory, for the mass-incident drain: the queue it reads,
/// the sender its follow-ups go to (<see cref="IRevocationQueue"/>) and the settlement actions. A scheduled follow-up
/// becomes visible after its delay times the run's time scale; an abandoned message is delivered again. There is no
/// local Service Bus emulator to use instead, and what is measured is the app, not the broker.
/// </summary>
internal sealed class InMemoryServiceBus(double timeScale) : IRevocationQueue, IMessageSettlement
{
    private readonly Channel<ServiceBusReceivedMessage> ready = Channel.CreateUnbounded<ServiceBusReceivedMessage>();
    private int outstanding;
    private int completed;
    private int deadLettered;
    private int abandoned;
    private int followUps;

    public ChannelReader<ServiceBusReceivedMessage> Messages => ready.Reader;

    public int Completed => Volatile.Read(ref completed);

    public int DeadLettered => Volatile.Read(ref deadLettered);

    public int Abandoned => Volatile.Read(ref abandoned);

    public int FollowUps => Volatile.Read(ref followUps);

    /// <summary>A submitter's message; submit them all before the first is received.</summary>
    public void Submit(byte[] body, string messageId)
    {
        Interlocked.Increment(ref outstanding);
        ready.Writer.TryWrite(Message(new BinaryData(body), messageId, new Dictionary<string, object>(), null, null, 1));
    }

    public Task SendAsync(QueuedRevocation message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref outstanding);
        Interlocked.Increment(ref followUps);
        var properties = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in message.CarriedProperties ?? new Dictionary<string, object>())
            properties[key] = value;
        foreach (var (key, value) in message.Envelope.ToProperties())
            properties[key] = value;
        var copy = Message(message.Body, message.MessageId, properties, message.Subject, message.CorrelationId, 1);

        var due = message.ScheduledFor is { } at ? (at - DateTimeOffset.UtcNow) * timeScale : TimeSpan.Zero;
        if (due <= TimeSpan.Zero)
            ready.Writer.TryWrite(copy);
        else
            _ = DeliverLaterAsync(copy, due);
        return Task.CompletedTask;
    }

    public Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref completed);
        Settled();
        return Task.CompletedTask;
    }

    public Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref abandoned);
        var properties = new Dictionary<string, object>(message.ApplicationProperties, StringComparer.Ordinal);
        foreach (var (key, value) in propertiesToModify ?? new Dictionary<string, object>())
            properties[key] = value;
        ready.Writer.TryWrite(Message(message.Body, message.MessageId, properties, message.Subject, message.CorrelationId, message.DeliveryCount + 1));
        return Task.CompletedTask;
    }

    public Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, Dictionary<string, object>? propertiesToModify = null,
        string? deadLetterReason = null, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref deadLettered);
        Settled();
        return Task.CompletedTask;
    }

    public Task DeferMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null,
        CancellationToken cancellationToken = default)
    {
        // The handler never defers; counting it as settled keeps the drain from waiting forever if it ever does.
        Settled();
        return Task.CompletedTask;
    }

    private async Task DeliverLaterAsync(ServiceBusReceivedMessage message, TimeSpan due)
    {
        await Task.Delay(due);
        ready.Writer.TryWrite(message);
    }

    private void Settled()
    {
        if (Interlocked.Decrement(ref outstanding) == 0)
            ready.Writer.TryComplete();
    }

    private static ServiceBusReceivedMessage Message(BinaryData body, string messageId, IDictionary<string, object> properties,
        string? subject, string? correlationId, int deliveryCount) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: body,
            messageId: messageId,
            contentType: "application/json",
            subject: subject,
            correlationId: correlationId,
            properties: properties,
            deliveryCount: deliveryCount,
            enqueuedTime: DateTimeOffset.UtcNow,
            lockTokenGuid: Guid.NewGuid());
}
