using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RevokeFunctions.Intake;
using RevokeFunctions.Leavers;

namespace RevokeFunctions.Ledger;

/// <summary>The ledger's composition: options, the <c>TableServiceClient</c> (shared with the storm guard) and the ledger.</summary>
public static class LedgerServiceCollectionExtensions
{
    public static IServiceCollection AddRevocationLedger(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(LedgerOptions.SectionName);
        services.AddOptions<LedgerOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        // Only Azure's App Service platform sets WEBSITE_INSTANCE_ID: there the ledger is required.
        var hostedInAzure = !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LedgerOptions>>(new LedgerOptionsValidator(hostedInAzure)));

        // The same keys the options bind: serviceUri with the app's credential (set by clients.UseCredential), else an
        // Azurite connection string. Client options (Retry:MaxRetries, …) come from the same section.
        var serviceUri = Uri.TryCreate(section["serviceUri"], UriKind.Absolute, out var uri) ? uri : null;
        var connectionString = section["connectionString"];
        if (serviceUri is null && string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton<IRevocationLedger, UnconfiguredRevocationLedger>();
            services.TryAddSingleton<IntakeStore>();
            services.TryAddSingleton<LeaverPlanStore>();
            return services;
        }

        services.AddAzureClients(clients =>
        {
            var client = serviceUri is not null ? clients.AddTableServiceClient(serviceUri) : clients.AddTableServiceClient(connectionString);
            // The SDK's own request log formats every request's and response's headers (about 3 % of the CPU a target
            // costs) and reports each 409/412 of a conditional write, which is how the ledger and the storm guard learn
            // they lost a race, as a warning. Store failures are logged by the ledger itself, with the step they hit.
            // Ledger:Diagnostics:IsLoggingEnabled=true turns it back on for diagnosis.
            client.ConfigureOptions(options => options.Diagnostics.IsLoggingEnabled = false);
            client.ConfigureOptions(section);
        });
        services.TryAddSingleton<IRevocationLedger, TableRevocationLedger>();
        // Intake and idempotency-key records live in the ledger's table: only the app's identity writes it.
        services.TryAddSingleton<IntakeStore, TableIntakeStore>();
        // Leaver plans too: which HR message about an employee stands is the app's decision, not a sender's.
        services.TryAddSingleton<LeaverPlanStore, TableLeaverPlanStore>();
        return services;
    }
}
