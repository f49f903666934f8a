using System.Net;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.WriteBack;

/// <summary>The write-back's composition: options with their start-up checks, the HTTP clients, the channels, the outbox and its delivery.</summary>
public static class WriteBackServiceCollectionExtensions
{
    /// <summary>A Retry-After longer than this is not waited for inside a call: the outbox tries again after it instead.</summary>
    internal static readonly TimeSpan MaxRetryAfterInCall = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers <see cref="WriteBackOutbox"/> (recording, on the answer path) and <see cref="WriteBackDelivery"/> (sending,
    /// from the delivery timer). Everything is off until <c>WriteBack:*</c> or <c>Notifications:*</c> switch it on; the
    /// record and the outbox live in the ledger's table (<c>AddRevocationLedger</c>).
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

        // The factory's default loggers write each request's URL: the webhook's holds its secret, so they are removed;
        // the channels log outcomes by status and kind only.
        services.AddHttpClient<IWebhookNotifier, WebhookNotifier>()
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .RemoveAllLoggers()
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) => Configure(resilience, sp.GetRequiredService<IOptions<WriteBackOptions>>().Value));
        var arm = services.AddHttpClient<ISentinelIncidentComments, ArmSentinelIncidentComments>()
            .ConfigurePrimaryHttpMessageHandler(NoRedirects)
            .RemoveAllLoggers();
        arm.AddStandardResilienceHandler()
            .Configure((resilience, sp) => Configure(resilience, sp.GetRequiredService<IOptions<WriteBackOptions>>().Value));
        // Inside the resilience handler, so every try asks for a current token (a lookup: the credential caches it).
        arm.AddHttpMessageHandler(sp => new ArmAuthenticationHandler(sp.GetRequiredService<TokenCredential>(),
                sp.GetRequiredService<IOptions<WriteBackOptions>>().Value.ArmBaseUrl));

        // Defender comments and manager mail go through the app's GraphServiceClient, whose own retry handler honours
        // Retry-After; they need no client of their own.
        services.TryAddSingleton<IDefenderAlertComments, GraphDefenderAlertComments>();
        services.TryAddSingleton<IManagerMailer, GraphManagerMailer>();

        services.TryAddEnumerable(ServiceDescriptor.Transient<IWriteBackChannel, SentinelCommentChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWriteBackChannel, DefenderCommentChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWriteBackChannel, WebhookChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IWriteBackChannel, ManagerEmailChannel>());

        // The ledger's TableServiceClient when there is one; without it the record reports itself unavailable (and the
        // validators keep every write-back off).
        services.TryAddSingleton(sp => new WriteBackRecord(sp.GetService<TableServiceClient>(), sp.GetRequiredService<IOptions<LedgerOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WriteBackRecord>>()));
        services.TryAddSingleton<WriteBackOutbox>();
        // Transient: its channels hold typed HttpClients, which the factory renews.
        services.TryAddTransient(sp => new WriteBackDelivery(sp.GetRequiredService<IOptions<WriteBackOptions>>(),
            sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetServices<IWriteBackChannel>(), sp.GetRequiredService<WriteBackRecord>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WriteBackDelivery>>()));
        return services;
    }

    /// <summary>
    /// The standard pipeline (rate limiter, total timeout, retry, circuit breaker, attempt timeout) sized by the
    /// <c>WriteBack</c> options: <see cref="WriteBackOptions.MaxAttempts"/> tries, <see cref="WriteBackOptions.RetryDelay"/>
    /// doubling, each try within <see cref="WriteBackOptions.CallTimeout"/>. Retry-After is honoured up to
    /// <see cref="MaxRetryAfterInCall"/>; a longer one ends the call, and the outbox waits that long instead.
    /// </summary>
    internal static void Configure(HttpStandardResilienceOptions resilience, WriteBackOptions writeBack)
    {
        resilience.AttemptTimeout.Timeout = writeBack.CallTimeout;
        resilience.Retry.MaxRetryAttempts = Math.Max(1, writeBack.MaxAttempts - 1);
        resilience.Retry.Delay = writeBack.RetryDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.ShouldRetryAfterHeader = true;
        var standard = resilience.Retry.ShouldHandle;
        resilience.Retry.ShouldHandle = args =>
            writeBack.MaxAttempts <= 1 || args.Outcome.Result?.Headers.RetryAfter is { } asked && Wait(asked) > MaxRetryAfterInCall
                ? ValueTask.FromResult(false)
                : standard(args);
        // Every try and every wait fit in the total; the breaker samples at least two tries (the options' own rule).
        resilience.TotalRequestTimeout.Timeout = writeBack.CallTimeout * writeBack.MaxAttempts + MaxRetryAfterInCall * (writeBack.MaxAttempts - 1)
            + TimeSpan.FromSeconds(1);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, writeBack.CallTimeout.Ticks * 2));
    }

    private static TimeSpan Wait(System.Net.Http.Headers.RetryConditionHeaderValue retryAfter) =>
        retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.Zero);

    /// <summary>A redirect would carry the request (a token, or the webhook's secret URL) somewhere else: never followed.</summary>
    private static SocketsHttpHandler NoRedirects() => new() { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
}
