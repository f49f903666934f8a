using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The real <see cref="ServiceBusSender"/> type with its virtual send members overridden to record what would reach the
/// queue, or to fail the way an unreachable namespace does.
/// </summary>
public sealed class RecordingServiceBusSender(string entityPath = "revocations") : ServiceBusSender
{
    private readonly List<SentMessage> sent = [];
    private long sequence;

    public sealed record SentMessage(ServiceBusMessage Message, DateTimeOffset? ScheduledFor);

    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (sent)
                return [.. sent];
        }
    }

    /// <summary>Sends attempted while <see cref="Failing"/> was set.</summary>
    public int Refused { get; private set; }

    /// <summary>When set, every send throws what Service Bus throws when it cannot be reached.</summary>
    public bool Failing { get; set; }

    /// <summary>
    /// The queue's duplicate detection, when set: a message whose MessageId was accepted within this window before (by
    /// <see cref="Clock"/>) is dropped silently, as Service Bus does, and counted in <see cref="Dropped"/>.
    /// </summary>
    public TimeSpan? DuplicateDetectionWindow { get; set; }

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Messages dropped as duplicates.</summary>
    public int Dropped { get; private set; }

    private readonly Dictionary<string, DateTimeOffset> accepted = new(StringComparer.Ordinal);

    public override string EntityPath => entityPath;

    public override string FullyQualifiedNamespace => "test.servicebus.windows.net";

    public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        Record(message, null, cancellationToken);
        return Task.CompletedTask;
    }

    public override Task<long> ScheduleMessageAsync(ServiceBusMessage message, DateTimeOffset scheduledEnqueueTime, CancellationToken cancellationToken = default)
    {
        Record(message, scheduledEnqueueTime, cancellationToken);
        return Task.FromResult(Interlocked.Increment(ref sequence));
    }

    private void Record(ServiceBusMessage message, DateTimeOffset? scheduledFor, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Failing)
        {
            Refused++;
            throw new ServiceBusException("The namespace could not be reached.", ServiceBusFailureReason.ServiceCommunicationProblem);
        }
        lock (sent)
        {
            var now = Clock.GetUtcNow();
            if (DuplicateDetectionWindow is { } window && accepted.TryGetValue(message.MessageId, out var at) && now - at < window)
            {
                Dropped++;
                return;
            }
            accepted[message.MessageId] = now;
            sent.Add(new SentMessage(message, scheduledFor));
        }
    }
}
