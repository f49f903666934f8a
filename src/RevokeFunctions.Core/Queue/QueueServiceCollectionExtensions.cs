using Azure.Core;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.Queue;

/// <summary>The Service Bus intake's composition: options, the handler, and the sender behind the revocation queue.</summary>
public static class QueueServiceCollectionExtensions
{
    private const string ClientName = "RevocationQueue";

    public static IServiceCollection AddRevocationQueue(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .Configure(options =>
            {
                // One queue name for the trigger (%RevocationQueueName%) and the sender, so they cannot drift apart.
                if (configuration[QueueOptions.QueueNameSetting] is { Length: > 0 } name)
                    options.QueueName = name;
            })
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton<RetryBackoff>();
        services.TryAddSingleton<FollowUpPlanner>();
        services.TryAddSingleton<RevocationQueueHandler>();
        // Beside the ledger when there is one (its TableServiceClient is registered only then).
        services.TryAddSingleton(sp => new DeadLetterIntents(sp.GetService<TableServiceClient>(), sp.GetRequiredService<IOptions<Ledger.LedgerOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DeadLetterIntents>>()));

        // Service Bus has no local emulator connection like UseDevelopmentStorage: without a namespace no client is
        // registered at all, and the queue reports itself unavailable when used (the CLI and the tests never use it).
        if (configuration[QueueOptions.NamespaceSetting] is { Length: > 0 } fullyQualifiedNamespace)
        {
            services.AddAzureClients(clients =>
            {
                clients.AddServiceBusClientWithNamespace(fullyQualifiedNamespace)
                    .WithName(ClientName)
                    .WithCredential(sp => sp.GetRequiredService<TokenCredential>());
                clients.AddClient<ServiceBusSender, ServiceBusClientOptions>((_, sp) =>
                    sp.GetRequiredService<IAzureClientFactory<ServiceBusClient>>().CreateClient(ClientName)
                        .CreateSender(sp.GetRequiredService<IOptions<QueueOptions>>().Value.QueueName));
            });
        }
        services.TryAddSingleton<IRevocationQueue>(sp => new ServiceBusRevocationQueue(sp.GetService<ServiceBusSender>()));
        return services;
    }
}
