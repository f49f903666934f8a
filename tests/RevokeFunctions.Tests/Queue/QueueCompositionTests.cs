using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.App;
using RevokeFunctions.Queue;

namespace RevokeFunctions.Tests.Queue;

/// <summary>The app's real composition registers the queue's sender from configuration, without touching the network.</summary>
public sealed class QueueCompositionTests
{
    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings["Azure:Credential"] = "Developer";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        AppComposition.Configure(services, configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task With_a_namespace_the_sender_targets_the_RevocationQueueName_queue_there()
    {
        await using var services = Compose(new()
        {
            ["ServiceBus:fullyQualifiedNamespace"] = "sb-revoke.servicebus.windows.net",
            ["RevocationQueueName"] = "hr-leavers",
        });

        var sender = services.GetRequiredService<ServiceBusSender>();

        Assert.Equal("hr-leavers", sender.EntityPath);
        Assert.Equal("sb-revoke.servicebus.windows.net", sender.FullyQualifiedNamespace);
        Assert.IsType<ServiceBusRevocationQueue>(services.GetRequiredService<IRevocationQueue>());
        Assert.NotNull(services.GetRequiredService<RevocationQueueHandler>());
    }

    [Fact]
    public async Task Without_a_namespace_nothing_is_registered_for_Service_Bus_and_the_queue_reports_itself_unavailable()
    {
        await using var services = Compose([]);

        Assert.Null(services.GetService<ServiceBusSender>());
        var queue = services.GetRequiredService<IRevocationQueue>();
        var message = new QueuedRevocation("m/retry-2", BinaryData.FromString("{}"), new RevocationEnvelope("r", "m", DateTimeOffset.UtcNow, 2, []), null);

        var error = await Assert.ThrowsAsync<RevocationQueueUnavailableException>(() => queue.SendAsync(message, CancellationToken.None));
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backoff_ceiling_below_its_base_is_refused_at_start()
    {
        await using var services = Compose(new() { ["Queue:BackoffBase"] = "00:05:00", ["Queue:BackoffMax"] = "00:01:00" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<QueueOptions>>().Value);
        Assert.Contains("BackoffMax", error.Message, StringComparison.Ordinal);
    }
}
