using Azure.Messaging.ServiceBus;
using NSubstitute;
using RevokeFunctions.Queue;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The settlement port as an NSubstitute substitute (Service Bus settlement cannot run here), read back as the calls the
/// handler made. <see cref="Port"/> can be told to throw the way the worker's channel to the host has in the field.
/// </summary>
public sealed class SubstituteSettlement
{
    public enum Kind
    {
        Complete,
        Abandon,
        DeadLetter,
        Defer,
    }

    public sealed record SettlementCall(Kind Kind, ServiceBusReceivedMessage Message, IReadOnlyDictionary<string, object> Properties, string? Reason, string? Description);

    public IMessageSettlement Port { get; } = Substitute.For<IMessageSettlement>();

    /// <summary>Every settlement call received, in order, whether it returned or threw.</summary>
    public IReadOnlyList<SettlementCall> Calls => [.. Port.ReceivedCalls().Select(ToCall)];

    /// <summary>The one settlement a handled message must end in; fails the test if there were none or several.</summary>
    public SettlementCall Only => Assert.Single(Calls);

    private static SettlementCall ToCall(NSubstitute.Core.ICall call)
    {
        var arguments = call.GetArguments();
        var message = (ServiceBusReceivedMessage)arguments[0]!;
        IReadOnlyDictionary<string, object> Properties(object? value) =>
            new Dictionary<string, object>((value as IDictionary<string, object>) ?? new Dictionary<string, object>());
        return call.GetMethodInfo().Name switch
        {
            nameof(IMessageSettlement.CompleteMessageAsync) => new SettlementCall(Kind.Complete, message, Properties(null), null, null),
            nameof(IMessageSettlement.AbandonMessageAsync) => new SettlementCall(Kind.Abandon, message, Properties(arguments[1]), null, null),
            nameof(IMessageSettlement.DeadLetterMessageAsync) => new SettlementCall(Kind.DeadLetter, message, Properties(arguments[1]),
                (string?)arguments[2], (string?)arguments[3]),
            nameof(IMessageSettlement.DeferMessageAsync) => new SettlementCall(Kind.Defer, message, Properties(arguments[1]), null, null),
            var other => throw new InvalidOperationException($"Unexpected settlement call {other}."),
        };
    }
}
