using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.App;

/// <summary>
/// The app's service composition. <c>Program.cs</c> calls it on the Functions host's builder; the tests call it on a
/// plain service collection, so what they exercise is what runs in Azure.
/// </summary>
public static class AppComposition
{
    public static IServiceCollection Configure(IServiceCollection services, IConfiguration configuration)
    {
        services.AddRevocationPipeline(configuration);
        return services;
    }
}
