using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using RevokeFunctions.App.Http;
using RevokeFunctions.Hosting;
using RevokeFunctions.Telemetry;

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
        services.AddSingleton<PlatformAuthentication>();
        services.AddHostedService(sp => sp.GetRequiredService<PlatformAuthentication>());
        services.AddOptions<Http.WebHookValidationOptions>().BindConfiguration(Http.WebHookValidationOptions.SectionName).ValidateDataAnnotations();
        AddTelemetry(services, configuration);
        return services;
    }

    /// <summary>
    /// One telemetry stack: OpenTelemetry with the Functions worker's defaults, exported to Application Insights by
    /// the Azure Monitor exporter. It signs in with the app's managed identity, because the Application Insights
    /// resource has local (key) authentication disabled; the connection string carries no secret.
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics => metrics.AddMeter(RevocationMetrics.MeterName));
        if (!string.IsNullOrEmpty(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            telemetry.UseAzureMonitorExporter();
            services.AddOptions<AzureMonitorExporterOptions>()
                .Configure<TokenCredential>((options, credential) => options.Credential = credential);
        }
    }
}
