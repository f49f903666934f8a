using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Guards;

/// <summary>The guard rails' composition: the <c>Guards</c> options with their start-up validation, and the guards.</summary>
public static class GuardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the guards. The storm guard counts in the <see cref="TableServiceClient"/> the ledger registers
    /// (section <c>Ledger</c>); without one it is <see cref="UnconfiguredStormGuard"/>, which fails automated requests closed.
    /// </summary>
    public static IServiceCollection AddGuards(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GuardOptions>()
            .Bind(configuration.GetSection(GuardOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardOptions>, GuardOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UserNameLogFormatter>();
        services.TryAddSingleton<IProtectedAccountPolicy, ProtectedAccountPolicy>();
        services.TryAddSingleton<IStormGuard>(sp => sp.GetService<TableServiceClient>() is { } tables
            ? ActivatorUtilities.CreateInstance<StormGuard>(sp, tables)
            : new UnconfiguredStormGuard());
        services.TryAddSingleton<RevocationGuards>();
        return services;
    }
}
