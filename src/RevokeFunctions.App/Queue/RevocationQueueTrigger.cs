using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using RevokeFunctions.Queue;

namespace RevokeFunctions.App.Queue;

// Compiled only when the ServiceBusTrigger build switch is on (see RevokeFunctions.App.csproj): keep this file to the
// binding and a pass-through, so that reading it proves it; everything else is RevocationQueueHandler in Core.

/// <summary>The revocation queue's trigger: identity-based connection <c>ServiceBus</c>, explicit settlement.</summary>
public sealed class RevocationQueueTrigger(RevocationQueueHandler handler)
{
    [Function("ProcessRevocationMessage")]
    public Task RunAsync(
        [ServiceBusTrigger("%RevocationQueueName%", Connection = "ServiceBus", AutoCompleteMessages = false)] ServiceBusReceivedMessage message,
        ServiceBusMessageActions actions,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, new MessageActionsSettlement(actions), cancellationToken);

    /// <summary>The worker's settlement actions behind the handler's port: the same members, forwarded.</summary>
    private sealed class MessageActionsSettlement(ServiceBusMessageActions actions) : IMessageSettlement
    {
        public Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
            actions.CompleteMessageAsync(message, cancellationToken);

        public Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default,
            CancellationToken cancellationToken = default) =>
            actions.AbandonMessageAsync(message, propertiesToModify, cancellationToken);

        public Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, Dictionary<string, object>? propertiesToModify = default,
            string? deadLetterReason = default, string? deadLetterErrorDescription = default, CancellationToken cancellationToken = default) =>
            actions.DeadLetterMessageAsync(message, propertiesToModify, deadLetterReason, deadLetterErrorDescription, cancellationToken);

        public Task DeferMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = default,
            CancellationToken cancellationToken = default) =>
            actions.DeferMessageAsync(message, propertiesToModify, cancellationToken);
    }
}
