using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.App;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>Every write-back is off until switched on, and a setting that cannot work stops the app at start.</summary>
public sealed class WriteBackOptionsTests
{
    [Fact]
    public async Task Everything_is_off_by_default_and_nothing_is_sent()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?>
        {
            ["WriteBack:SentinelComments"] = null,
            ["WriteBack:DefenderComments"] = null,
            ["Notifications:Webhook:Enabled"] = null,
            ["Notifications:ManagerEmail:Enabled"] = null,
        });
        host.Sandbox.Tenant.SetManager(Infrastructure.FixtureUsers.Bob, Infrastructure.FixtureUsers.Grace);

        var report = await DispatchAsync(host, await OverQueueAsync(host, SentinelIncident(), Queued("msg-" + Guid.NewGuid().ToString("N"))));

        Assert.Same(WriteBackReport.Nothing, report);
        Assert.Empty(host.Arm.Requests);
        Assert.Empty(host.Webhook.Requests);
        Assert.Empty(host.Sandbox.SentMail);
        Assert.Empty(await host.RecordAsync());
    }

    [Fact]
    public void The_defaults_are_off_with_short_bounded_retries()
    {
        var writeBack = new WriteBackOptions();
        var notifications = new NotificationOptions();

        Assert.False(writeBack.SentinelComments || writeBack.DefenderComments);
        Assert.False(notifications.Webhook.Enabled || notifications.ManagerEmail.Enabled);
        Assert.Equal((3, TimeSpan.FromSeconds(1)), (writeBack.MaxAttempts, writeBack.RetryDelay));
        Assert.Equal(new Uri("https://management.azure.com"), writeBack.ArmBaseUrl);
        Assert.Equal("2025-09-01", writeBack.SentinelApiVersion);
    }

    public static TheoryData<string, string?, string> Invalid => new()
    {
        { "Notifications:Webhook:Url", null, "Notifications:Webhook:Url is not an absolute URL" },
        { "Notifications:Webhook:Url", "http://hooks.example.com/workflows/1?sig=" + WriteBackHost.WebhookSecret, "Notifications:Webhook:Url must be https" },
        { "Notifications:ManagerEmail:Sender", "not a mailbox", "Notifications:ManagerEmail:Sender is not a mailbox" },
        { "Ledger:connectionString", null, "the ledger is not configured" },
        { "WriteBack:MaxAttempts", "50", "MaxAttempts" },
        { "WriteBack:ArmBaseUrl", "http://management.azure.com", "WriteBack:ArmBaseUrl" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_setting_that_cannot_work_stops_the_app_at_start_naming_it_and_never_echoing_the_webhook_secret(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Azure:Credential"] = "Developer",
            ["Ledger:connectionString"] = "UseDevelopmentStorage=true",
            ["WriteBack:SentinelComments"] = "true",
            ["Notifications:Webhook:Enabled"] = "true",
            ["Notifications:Webhook:Url"] = "https://hooks.example.com/workflows/1?sig=" + WriteBackHost.WebhookSecret,
            ["Notifications:ManagerEmail:Enabled"] = "true",
            ["Notifications:ManagerEmail:Sender"] = "revocations@contoso.com",
            [key] = value,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        AppComposition.Configure(services, configuration);
        services.AddWriteBack(configuration);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.ThrowsAny<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<WriteBackOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<NotificationOptions>>().Value;
        });

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(WriteBackHost.WebhookSecret, failure.Message, StringComparison.Ordinal);
    }
}
