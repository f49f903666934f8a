using Azure.Core;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RevokeFunctions.Graph;
using RevokeFunctions.Guards;
using RevokeFunctions.Intake;
using RevokeFunctions.Leavers;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Users;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Hosting;

/// <summary>The pipeline's composition, shared by the Functions app, the CLI, the tests and the benchmark.</summary>
public static class RevocationServiceCollectionExtensions
{
    public static IServiceCollection AddRevocationPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphOptions>().Bind(configuration.GetSection(GraphOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<GraphRateLimitOptions>().Bind(configuration.GetSection(GraphRateLimitOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PayloadLimits>().Bind(configuration.GetSection(PayloadLimits.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RevocationOptions>().Bind(configuration.GetSection(RevocationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RevocationMetrics>();
        services.TryAddSingleton<TokenCredential>(_ => AppCredential.Create(configuration));
        services.AddAzureClients(clients => clients.UseCredential(sp => sp.GetRequiredService<TokenCredential>()));

        services.AddGraphClient();
        services.AddPayloadFormats();
        services.TryAddSingleton<IUserDirectory, GraphUserDirectory>();
        services.TryAddSingleton<ISessionRevoker, GraphSessionRevoker>();
        services.AddOptions<LeaverOptions>().Bind(configuration.GetSection(LeaverOptions.SectionName));
        services.TryAddSingleton<IAccountDisabler, GraphAccountDisabler>();
        services.TryAddSingleton<UserResolver>();
        services.AddRevocationLedger(configuration);
        services.TryAddSingleton<RequestIntake>();
        services.TryAddSingleton<LeaverPlans>();
        services.TryAddSingleton<RevocationStatusReader>();
        // After the ledger: the storm guard counts in the ledger's storage account.
        services.AddGuards(configuration);
        services.TryAddSingleton<RevocationPipeline>();
        Queue.QueueServiceCollectionExtensions.AddRevocationQueue(services, configuration);
        // After the ledger: the write-back keeps its record in the ledger's table. Everything in it is off by default.
        services.AddWriteBack(configuration);
        Verification.VerificationServiceCollectionExtensions.AddRevocationVerification(services, configuration);
        return services;
    }
}
