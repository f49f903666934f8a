using Azure.Messaging.ServiceBus;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The real <see cref="ServiceBusSender"/> type as an NSubstitute substitute (no namespace runs here). What the app would
/// put on the queue is read back from the calls it received; <see cref="FailSends"/> makes every later send throw what
/// Service Bus throws when it cannot be reached. The one behaviour it carries is the queue's duplicate detection
/// (<see cref="DuplicateDetectionWindow"/>), because tests of idempotency depend on what Service Bus drops.
/// </summary>
public sealed class SubstituteSender
{
    private readonly List<SentMessage> accepted = [];
    private readonly Dictionary<string, DateTimeOffset> acceptedAt = new(StringComparer.Ordinal);
    private bool failing;

    public SubstituteSender(string entityPath = "revocations")
    {
        Sender.EntityPath.Returns(entityPath);
        Sender.FullyQualifiedNamespace.Returns("test.servicebus.windows.net");
        Sender.When(s => s.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>()))
            .Do(call => Accept(call.ArgAt<ServiceBusMessage>(0), null));
        Sender.When(s => s.ScheduleMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()))
            .Do(call => Accept(call.ArgAt<ServiceBusMessage>(0), call.ArgAt<DateTimeOffset>(1)));
    }

    public sealed record SentMessage(ServiceBusMessage Message, DateTimeOffset? ScheduledFor);

    public ServiceBusSender Sender { get; } = Substitute.For<ServiceBusSender>();

    /// <summary>Messages the queue took: sent or scheduled before <see cref="FailSends"/>, duplicates dropped.</summary>
    public IReadOnlyList<SentMessage> Sent
    {
        get
        {
            lock (accepted)
                return [.. accepted];
        }
    }

    /// <summary>Sends attempted after <see cref="FailSends"/>.</summary>
    public int Refused { get; private set; }

    /// <summary>
    /// The queue's duplicate detection, when set: a message whose MessageId was accepted within this window before (by
    /// <see cref="Clock"/>) is dropped silently, as Service Bus does, and counted in <see cref="Dropped"/>.
    /// </summary>
    public TimeSpan? DuplicateDetectionWindow { get; set; }

    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Messages dropped as duplicates.</summary>
    public int Dropped { get; private set; }

    public void FailSends()
    {
        var unreachable = new ServiceBusException("The namespace could not be reached.", ServiceBusFailureReason.ServiceCommunicationProblem);
        lock (accepted)
            failing = true;
        Sender.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>()).ThrowsAsync(unreachable);
        Sender.ScheduleMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).ThrowsAsync(unreachable);
    }

    private void Accept(ServiceBusMessage message, DateTimeOffset? scheduledFor)
    {
        lock (accepted)
        {
            if (failing)
            {
                Refused++;
                return;
            }
            var now = Clock.GetUtcNow();
            if (DuplicateDetectionWindow is { } window && acceptedAt.TryGetValue(message.MessageId, out var at) && now - at < window)
            {
                Dropped++;
                return;
            }
            acceptedAt[message.MessageId] = now;
            accepted.Add(new SentMessage(message, scheduledFor));
        }
    }
}
