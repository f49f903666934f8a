using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RevokeFunctions.App;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Guards;

/// <summary>
/// The app's real composition against a Graph sandbox and Azurite (ledger and storm-guard tables of its own unless a
/// test shares one on purpose), like <see cref="TestEnvironment"/>, plus captured logs, a clock the test may set and
/// the option of sharing one sandbox between hosts ("instances" of the app).
/// </summary>
public sealed class GuardHost : IAsyncDisposable
{
    public const string Azurite = "UseDevelopmentStorage=true";

    private readonly bool ownsSandbox;

    private GuardHost(GraphSandboxServer sandbox, bool ownsSandbox, ServiceProvider services, CapturedLogs logs, string ledgerTable, string stormGuardTable)
    {
        this.ownsSandbox = ownsSandbox;
        Sandbox = sandbox;
        Services = services;
        Logs = logs;
        LedgerTableName = ledgerTable;
        StormGuardTableName = stormGuardTable;
    }

    public GraphSandboxServer Sandbox { get; }

    public ServiceProvider Services { get; }

    public CapturedLogs Logs { get; }

    public string LedgerTableName { get; }

    public string StormGuardTableName { get; }

    public RevocationPipeline Pipeline => Get<RevocationPipeline>();

    public static string NewTableName() => "sg" + Guid.NewGuid().ToString("N");

    /// <param name="replace">Registrations that take precedence over the app's own (a sender the test reads).</param>
    public static async Task<GuardHost> StartAsync(IDictionary<string, string?>? settings = null, TimeProvider? time = null, GraphSandboxServer? sharedSandbox = null,
        Action<IServiceCollection>? replace = null)
    {
        var sandbox = sharedSandbox ?? await GraphSandboxServer.StartAsync(SandboxTenant.Load(TestPaths.TenantFile));
        var values = new Dictionary<string, string?>
        {
            ["Graph:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Graph:MaxRetries"] = "2",
            ["Graph:RetryDelaySeconds"] = "0",
            ["Azure:Credential"] = "Developer",
            ["WEBSITE_AUTH_ENABLED"] = "True",
            ["Ledger:connectionString"] = Azurite,
            ["Ledger:TableName"] = NewTableName(),
            ["Guards:StormGuard:TableName"] = NewTableName(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        if (time is not null)
            services.AddSingleton(time);
        AppComposition.Configure(services, configuration);
        replace?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new GuardHost(sandbox, sharedSandbox is null, provider, logs, values["Ledger:TableName"]!, values["Guards:StormGuard:TableName"]!);
    }

    public static RevocationContext Context(RequestChannel channel) => new(Guid.NewGuid().ToString("D"), channel, DateTimeOffset.UtcNow);

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        var tables = new TableServiceClient(Azurite);
        foreach (var table in new[] { LedgerTableName, StormGuardTableName })
        {
            try
            {
                await tables.DeleteTableAsync(table);
            }
            catch (RequestFailedException)
            {
                // Never created (or shared and already gone): nothing to clean up.
            }
        }
        await Services.DisposeAsync();
        if (ownsSandbox)
            await Sandbox.DisposeAsync();
    }
}
