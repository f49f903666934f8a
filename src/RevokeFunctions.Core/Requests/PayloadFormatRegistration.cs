using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Requests;

/// <summary>The supported payload formats, in the order they are tried: most specific shape first, native last.</summary>
internal static class PayloadFormatRegistration
{
    public static IServiceCollection AddPayloadFormats(this IServiceCollection services)
    {
        services.AddSingleton<IPayloadFormat, CloudEventFormat>();
        services.AddSingleton<IPayloadFormat, SentinelIncidentFormat>();
        services.AddSingleton<IPayloadFormat, SentinelAlertFormat>();
        services.AddSingleton<IPayloadFormat, GraphIncidentFormat>();
        services.AddSingleton<IPayloadFormat, EndpointAlertFormat>();
        services.AddSingleton<IPayloadFormat, DefenderAlertFormat>();
        services.AddSingleton<IPayloadFormat, RiskDetectionFormat>();
        services.AddSingleton<IPayloadFormat, RiskyUserFormat>();
        services.AddSingleton<IPayloadFormat, HrLeaverFormat>();
        services.AddSingleton<IPayloadFormat, NativeRequestFormat>();
        services.AddSingleton<PayloadParser>();
        return services;
    }
}
