using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.WriteBack;

/// <summary>The write-back's composition: options with their start-up checks, the channels and the dispatcher.</summary>
public static class WriteBackServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IWriteBackDispatcher"/>. Everything is off until <c>WriteBack:*</c> or
    /// <c>Notifications:*</c> switch it on; the record lives in the ledger's table (<c>AddRevocationLedger</c>).
    /// </summary>
    public static IServiceCollection AddWriteBack(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WriteBackOptions>().Bind(configuration.GetSection(WriteBackOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WriteBackOptions>, WriteBackOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WriteBackCall>();
        services.TryAddSingleton<ISentinelIncidentComments, ArmSentinelIncidentComments>();
        services.TryAddSingleton<IDefenderAlertComments, GraphDefenderAlertComments>();
        services.TryAddSingleton<IWebhookNotifier, WebhookNotifier>();
        services.TryAddSingleton<IManagerMailer, GraphManagerMailer>();
        // The ledger's TableServiceClient when there is one; without it the record reports itself unavailable (and the
        // validators keep every write-back off).
        services.TryAddSingleton(sp => new WriteBackRecord(sp.GetService<TableServiceClient>(), sp.GetRequiredService<IOptions<LedgerOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WriteBackRecord>>()));
        services.TryAddSingleton<IWriteBackDispatcher, WriteBackDispatcher>();
        return services;
    }
}
