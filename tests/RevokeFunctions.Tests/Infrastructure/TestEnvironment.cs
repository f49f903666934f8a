using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.App;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Tests.Infrastructure;

/// <summary>
/// A fresh Graph sandbox on the shared fixture tenant plus the app's real service composition pointed at it. Each test
/// gets its own, because revocations change the tenant (signInSessionsValidFromDateTime moves to now), and its own
/// ledger table on Azurite (deleted afterwards), because the ledger remembers every request.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    private TestEnvironment(GraphSandboxServer sandbox, ServiceProvider services)
    {
        Sandbox = sandbox;
        Services = services;
    }

    public GraphSandboxServer Sandbox { get; }

    public ServiceProvider Services { get; }

    public RevocationPipeline Pipeline => Services.GetRequiredService<RevocationPipeline>();

    public IRevocationLedger Ledger => Services.GetRequiredService<IRevocationLedger>();

    /// <summary>This environment's ledger table (<c>Ledger:TableName</c>), unless a test set its own.</summary>
    public string LedgerTableName => Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName;

    /// <summary>The storm guard's limit in test environments unless a test sets <c>Guards:StormGuard:MaxUsers</c>.</summary>
    public const string StormGuardLimit = "100";

    /// <summary>This environment's storm-guard table (<c>Guards:StormGuard:TableName</c>).</summary>
    public string StormGuardTableName => Services.GetRequiredService<IOptions<GuardOptions>>().Value.StormGuard.TableName;

    /// <summary>A table name no other test uses.</summary>
    public static string NewTableName() => "t" + Guid.NewGuid().ToString("N")[..20];

    public static async Task<TestEnvironment> StartAsync(IDictionary<string, string?>? settings = null, SandboxTenant? tenant = null)
    {
        var sandbox = await GraphSandboxServer.StartAsync(tenant ?? SandboxTenant.Load(TestPaths.TenantFile));
        var values = new Dictionary<string, string?>
        {
            ["Graph:BaseUrl"] = sandbox.BaseUrl.ToString(),
            // Keep the SDK's retries but not its multi-second back-off; Retry-After from the sandbox is still honoured.
            ["Graph:MaxRetries"] = "2",
            ["Graph:RetryDelaySeconds"] = "0",
            ["Azure:Credential"] = "Developer",
            // App Service Authentication is on, as infra deploys it (the platform sets this setting).
            ["WEBSITE_AUTH_ENABLED"] = "True",
            ["Ledger:connectionString"] = "UseDevelopmentStorage=true",
            ["Ledger:TableName"] = NewTableName(),
            // The storm guard's count in a table of its own too, with a limit above any fixture (the 60-account
            // incident): only tests that lower it meet the storm guard.
            ["Guards:StormGuard:TableName"] = NewTableName(),
            ["Guards:StormGuard:MaxUsers"] = StormGuardLimit,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        AppComposition.Configure(services, configuration);
        return new TestEnvironment(sandbox, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public static RevocationContext Context(RequestChannel channel = RequestChannel.Cli, bool dryRun = false) =>
        new(Guid.NewGuid().ToString("D"), channel, DateTimeOffset.UtcNow) { DryRun = dryRun };

    public async ValueTask DisposeAsync()
    {
        if (Services.GetService<TableServiceClient>() is { } tables)
        {
            foreach (var table in new[] { LedgerTableName, StormGuardTableName })
            {
                try
                {
                    await tables.DeleteTableAsync(table);
                }
                catch (Exception ex) when (ex is RequestFailedException or AggregateException)
                {
                    // Azurite gone or the table never made: nothing to clean up.
                }
            }
        }
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
