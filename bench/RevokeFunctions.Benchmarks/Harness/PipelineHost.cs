using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RevokeFunctions.Hosting;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// The app's own composition (<see cref="RevocationServiceCollectionExtensions.AddRevocationPipeline"/>) pointed at the
/// Graph sandbox, with the ledger on Azurite: what the benchmark measures is what runs in Azure, minus the host.
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly string[] tables;

    private PipelineHost(ServiceProvider services, bool ledgerRegistered, string[] tables)
    {
        Services = services;
        LedgerRegistered = ledgerRegistered;
        this.tables = tables;
    }

    public ServiceProvider Services { get; }

    /// <summary>Whether the composition registered any ledger service (issue 6); reported beside every figure.</summary>
    public bool LedgerRegistered { get; }

    public RevocationPipeline Pipeline => Services.GetRequiredService<RevocationPipeline>();

    public static PipelineHost Start(Uri graphBaseUrl, IDictionary<string, string?> settings, Action<IServiceCollection>? before = null)
    {
        // Tables of this run only: Azurite is shared with whoever else uses it, and the run deletes them at the end.
        var run = Guid.NewGuid().ToString("N")[..12];
        string[] tables = ["benchledger" + run, "benchstorm" + run];
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Graph:BaseUrl"] = graphBaseUrl.ToString(),
            ["Azure:Credential"] = "Developer",
            ["Ledger:connectionString"] = "UseDevelopmentStorage=true",
            ["Ledger:TableName"] = tables[0],
            ["Guards:StormGuard:TableName"] = tables[1],
            // Proof of each revocation (issue 18): on as in the app unless REVOKE_BENCH_VERIFICATION=off.
            ["Revocation:Verification:Enabled"] = VerificationDrain.Enabled ? "true" : "false",
        };
        foreach (var (key, value) in settings)
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // Warnings reach the console (throttling, queue overflow); decisions are logged at Information and filtered
        // out by level, as cheaply as in a host whose exporter samples them away.
        // The Azure SDK logs every 409 and 412 as a warning; for the ledger they are expected answers to conditional writes.
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Azure", LogLevel.Error)
            .AddSimpleConsole(console => console.SingleLine = true));
        before?.Invoke(services);
        services.AddRevocationPipeline(configuration);
        var ledger = services.Any(d => d.ServiceType.Namespace?.StartsWith("RevokeFunctions.Ledger", StringComparison.Ordinal) == true);
        return new PipelineHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }), ledger, tables);
    }

    public async ValueTask DisposeAsync()
    {
        if (Services.GetService<TableServiceClient>() is { } storage)
        {
            foreach (var table in tables)
            {
                try
                {
                    await storage.DeleteTableAsync(table);
                }
                catch (Azure.RequestFailedException)
                {
                    // Gone already, or Azurite went away: nothing left to clean.
                }
            }
        }
        await Services.DisposeAsync();
    }
}
