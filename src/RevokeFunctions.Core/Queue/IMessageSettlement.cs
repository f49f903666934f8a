using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Queue;

/// <summary>
/// The settlement actions of the Functions worker's <c>ServiceBusMessageActions</c>, member for member, so the trigger
/// adapter only forwards and the handler behind it is tested with a recording implementation. Every message the
/// handler receives ends in exactly one call to one of these.
/// </summary>
public interface IMessageSettlement
{
    Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default);

    Task AbandonMessageAsync(
        ServiceBusReceivedMessage message,
        IDictionary<string, object>? propertiesToModify = default,
        CancellationToken cancellationToken = default);

    Task DeadLetterMessageAsync(
        ServiceBusReceivedMessage message,
        Dictionary<string, object>? propertiesToModify = default,
        string? deadLetterReason = default,
        string? deadLetterErrorDescription = default,
        CancellationToken cancellationToken = default);

    Task DeferMessageAsync(
        ServiceBusReceivedMessage message,
        IDictionary<string, object>? propertiesToModify = default,
        CancellationToken cancellationToken = default);
}
