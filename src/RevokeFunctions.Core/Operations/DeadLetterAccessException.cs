using System.Net.Sockets;
using Azure.Identity;
using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Operations;

/// <summary>The dead-letter queue could not be used; <see cref="Exception.Message"/> says what to do about it.</summary>
public sealed class DeadLetterAccessException : Exception
{
    public const string ReceiverRole = "Azure Service Bus Data Receiver";
    public const string SenderRole = "Azure Service Bus Data Sender";

    public DeadLetterAccessException()
    {
    }

    public DeadLetterAccessException(string message)
        : base(message)
    {
    }

    public DeadLetterAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DeadLetterAccessException(DeadLetterAccessFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DeadLetterAccessFailure Failure { get; }

    /// <summary>
    /// The operator-facing form of an SDK failure while reading (peek, receive, complete: the Receiver role) or sending
    /// (the Sender role); null when the failure is none of the known access problems.
    /// </summary>
    public static DeadLetterAccessException? From(Exception exception, bool sending, string fullyQualifiedNamespace, string queueName)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var role = sending ? SenderRole : ReceiverRole;
        var action = sending ? $"send to the queue '{queueName}'" : $"read the dead letters of the queue '{queueName}'";
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case UnauthorizedAccessException:
                    return new DeadLetterAccessException(DeadLetterAccessFailure.NotPermitted,
                        $"You are signed in but not allowed to {action} in {fullyQualifiedNamespace}: your identity needs the role "
                        + $"'{role}' on that queue (or its namespace). Listing and showing need '{ReceiverRole}'; resubmitting needs "
                        + $"'{ReceiverRole}' and '{SenderRole}'. Ask an owner of the namespace to assign it (az role assignment create "
                        + $"--assignee <you> --role \"{role}\" --scope <queue resource ID>); it takes a few minutes to apply.", exception);
                case AuthenticationFailedException or CredentialUnavailableException:
                    return new DeadLetterAccessException(DeadLetterAccessFailure.SignInFailed,
                        "Could not sign you in to Service Bus: run 'az login' (or 'azd auth login', or sign in to Visual Studio) "
                        + $"with an account of the namespace's tenant. ({FirstLine(current.Message)})", exception);
                case ServiceBusException { Reason: ServiceBusFailureReason.MessagingEntityNotFound }:
                    return new DeadLetterAccessException(DeadLetterAccessFailure.QueueNotFound,
                        $"The namespace {fullyQualifiedNamespace} has no queue '{queueName}': set RevocationQueueName to the queue "
                        + "the app reads.", exception);
                case ServiceBusException { Reason: ServiceBusFailureReason.ServiceCommunicationProblem } problem:
                    return IsUnknownHost(problem)
                        ? new DeadLetterAccessException(DeadLetterAccessFailure.NamespaceNotFound,
                            $"The Service Bus namespace '{fullyQualifiedNamespace}' does not exist (its name does not resolve): check "
                            + "ServiceBus__fullyQualifiedNamespace, e.g. <name>.servicebus.windows.net.", exception)
                        : new DeadLetterAccessException(DeadLetterAccessFailure.Unreachable,
                            $"Could not reach the Service Bus namespace {fullyQualifiedNamespace} (network, proxy or firewall; AMQP "
                            + $"uses port 5671): {FirstLine(problem.Message)}", exception);
                case ServiceBusException { IsTransient: true } transient:
                    return new DeadLetterAccessException(DeadLetterAccessFailure.Unreachable,
                        $"Service Bus did not complete the request ({transient.Reason}); try again in a minute.", exception);
            }
        }
        return null;
    }

    private static bool IsUnknownHost(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
                return true;
        }
        return false;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
