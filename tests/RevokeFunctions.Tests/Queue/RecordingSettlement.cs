using Azure.Messaging.ServiceBus;
using RevokeFunctions.Queue;

namespace RevokeFunctions.Tests.Queue;

/// <summary>The settlement port as the Functions worker offers it, recording every call instead of reaching Service Bus.</summary>
public sealed class RecordingSettlement : IMessageSettlement
{
    private readonly List<SettlementCall> calls = [];

    public enum Kind
    {
        Complete,
        Abandon,
        DeadLetter,
        Defer,
    }

    public sealed record SettlementCall(Kind Kind, ServiceBusReceivedMessage Message, IReadOnlyDictionary<string, object> Properties, string? Reason, string? Description);

    public IReadOnlyList<SettlementCall> Calls => calls;

    /// <summary>The one settlement a handled message must end in; fails the test if there were none or several.</summary>
    public SettlementCall Only => Assert.Single(calls);

    public Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
        Record(Kind.Complete, message, null);

    public Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default, CancellationToken cancellationToken = default) =>
        Record(Kind.Abandon, message, propertiesToModify);

    public Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, Dictionary<string, object>? propertiesToModify = default,
        string? deadLetterReason = default, string? deadLetterErrorDescription = default, CancellationToken cancellationToken = default) =>
        Record(Kind.DeadLetter, message, propertiesToModify, deadLetterReason, deadLetterErrorDescription);

    public Task DeferMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default, CancellationToken cancellationToken = default) =>
        Record(Kind.Defer, message, propertiesToModify);

    private Task Record(Kind kind, ServiceBusReceivedMessage message, IDictionary<string, object>? properties, string? reason = null, string? description = null)
    {
        calls.Add(new SettlementCall(kind, message, new Dictionary<string, object>(properties ?? new Dictionary<string, object>()), reason, description));
        return Task.CompletedTask;
    }
}
