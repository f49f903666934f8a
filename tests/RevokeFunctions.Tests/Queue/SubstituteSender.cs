using Azure.Messaging.ServiceBus;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The real <see cref="ServiceBusSender"/> type as an NSubstitute substitute (no namespace runs here): what the app would
/// put on the queue is read back from the calls it received, and <see cref="FailSends"/> makes every later send throw
/// what Service Bus throws when it cannot be reached.
/// </summary>
public sealed class SubstituteSender
{
    private int failingFrom = int.MaxValue;

    public SubstituteSender(string entityPath = "revocations")
    {
        Sender.EntityPath.Returns(entityPath);
        Sender.FullyQualifiedNamespace.Returns("test.servicebus.windows.net");
    }

    public sealed record SentMessage(ServiceBusMessage Message, DateTimeOffset? ScheduledFor);

    public ServiceBusSender Sender { get; } = Substitute.For<ServiceBusSender>();

    /// <summary>Messages sent or scheduled before <see cref="FailSends"/>.</summary>
    public IReadOnlyList<SentMessage> Sent => [.. SendCalls().Take(failingFrom)];

    /// <summary>Sends attempted after <see cref="FailSends"/>.</summary>
    public int Refused => Math.Max(0, SendCalls().Count - failingFrom);

    public void FailSends()
    {
        failingFrom = SendCalls().Count;
        var unreachable = new ServiceBusException("The namespace could not be reached.", ServiceBusFailureReason.ServiceCommunicationProblem);
        Sender.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>()).ThrowsAsync(unreachable);
        Sender.ScheduleMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>()).ThrowsAsync(unreachable);
    }

    private List<SentMessage> SendCalls() =>
        [.. Sender.ReceivedCalls()
            .Select(call => (Name: call.GetMethodInfo().Name, Arguments: call.GetArguments()))
            .Where(call => call.Name is nameof(ServiceBusSender.SendMessageAsync) or nameof(ServiceBusSender.ScheduleMessageAsync))
            .Select(call => new SentMessage((ServiceBusMessage)call.Arguments[0]!,
                call.Name == nameof(ServiceBusSender.ScheduleMessageAsync) ? (DateTimeOffset)call.Arguments[1]! : null))];
}
