using Azure.Core;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Operations;

/// <summary>
/// The Service Bus client behind an operator's <see cref="DeadLetterQueue"/>: the namespace the app uses
/// (<c>ServiceBus__fullyQualifiedNamespace</c>), the operator's own credential, never a key.
/// </summary>
public sealed class DeadLetterQueueConnection : IAsyncDisposable
{
    private static readonly string Setting = QueueOptions.NamespaceSetting.Replace(":", "__", StringComparison.Ordinal);

    private readonly ServiceBusClient client;

    private DeadLetterQueueConnection(ServiceBusClient client, DeadLetterQueue queue, ServiceBusSender sender)
    {
        this.client = client;
        Queue = queue;
        Sender = sender;
    }

    public DeadLetterQueue Queue { get; }

    /// <summary>The sender to the main queue that <see cref="Queue"/> sends its copies with (<c>revoke smoke</c> sends its test message with it).</summary>
    public ServiceBusSender Sender { get; }

    /// <summary>Connects lazily: nothing is contacted until the first command; configuration problems throw here.</summary>
    /// <exception cref="DeadLetterAccessException"><see cref="DeadLetterAccessFailure.NotConfigured"/>.</exception>
    public static DeadLetterQueueConnection Open(
        string? fullyQualifiedNamespace, string queueName, TokenCredential credential, TimeProvider time, PayloadParser? parser = null,
        DeadLetterIntents? intents = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(credential);
        var host = HostOf(fullyQualifiedNamespace);
        ServiceBusClient client;
        try
        {
            client = new ServiceBusClient(host, credential, new ServiceBusClientOptions
            {
                Identifier = "revoke-cli",
                // An operator waits at a terminal: a few quick retries, then a clear message, not minutes of silence.
                RetryOptions = new ServiceBusRetryOptions
                {
                    Mode = ServiceBusRetryMode.Exponential,
                    MaxRetries = 2,
                    Delay = TimeSpan.FromSeconds(1),
                    TryTimeout = TimeSpan.FromSeconds(30),
                },
            });
        }
        catch (ArgumentException ex)
        {
            throw new DeadLetterAccessException(DeadLetterAccessFailure.NotConfigured,
                $"{Setting} '{host}' is not a namespace host name; use <name>.servicebus.windows.net.", ex);
        }
        var receiver = client.CreateReceiver(queueName, new ServiceBusReceiverOptions
        {
            SubQueue = SubQueue.DeadLetter,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            PrefetchCount = 0,
        });
        var sender = client.CreateSender(queueName);
        return new DeadLetterQueueConnection(client, new DeadLetterQueue(receiver, sender, new TokenOperatorIdentity(credential), time, parser, intents), sender);
    }

    /// <summary><c>contoso.servicebus.windows.net</c>, also from <c>sb://contoso.servicebus.windows.net/</c>; never a connection string.</summary>
    public static string HostOf(string? fullyQualifiedNamespace)
    {
        var value = fullyQualifiedNamespace?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new DeadLetterAccessException(DeadLetterAccessFailure.NotConfigured,
                $"No Service Bus namespace is configured: set {Setting}=<name>.servicebus.windows.net (the commands sign in as you: "
                + $"az login) and {QueueOptions.QueueNameSetting} if the queue is not 'revocations'.");
        }
        if (value.Contains("SharedAccess", StringComparison.OrdinalIgnoreCase) || value.Contains("Endpoint=", StringComparison.OrdinalIgnoreCase))
        {
            // Not echoed: it holds a key.
            throw new DeadLetterAccessException(DeadLetterAccessFailure.NotConfigured,
                $"{Setting} holds a connection string. Give only the host name, <name>.servicebus.windows.net: these commands sign in as "
                + "you and never use keys. Remove the key from your environment and rotate it if it was shared.");
        }
        var host = Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? uri.Host : value.TrimEnd('/');
        if (!host.Contains('.', StringComparison.Ordinal) || Uri.CheckHostName(host) != UriHostNameType.Dns)
        {
            throw new DeadLetterAccessException(DeadLetterAccessFailure.NotConfigured,
                $"{Setting} '{host}' is not a fully qualified namespace; use <name>.servicebus.windows.net.");
        }
        return host;
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
