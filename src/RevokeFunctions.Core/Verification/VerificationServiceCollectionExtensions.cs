using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Verification;

/// <summary>The verification's composition: options, its outbox in the ledger's table, the verifier.</summary>
public static class VerificationServiceCollectionExtensions
{
    public static IServiceCollection AddRevocationVerification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<VerificationOptions>().Bind(configuration.GetSection(VerificationOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        // The ledger's TableServiceClient when there is one; without it nothing is scheduled (the CLI then checks while it waits).
        services.TryAddSingleton(sp => new VerificationOutbox(sp.GetService<TableServiceClient>(), sp.GetRequiredService<IOptions<LedgerOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<RevocationVerifier>();
        return services;
    }
}
