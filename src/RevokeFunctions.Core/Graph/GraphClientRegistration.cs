using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.Graph;

/// <summary>One <see cref="GraphServiceClient"/> per process: one connection pool, one token cache.</summary>
internal static class GraphClientRegistration
{
    /// <summary>Microsoft Graph's public and national-cloud hosts: the only hosts that ever receive a token.</summary>
    internal static readonly string[] GraphHosts =
    [
        "graph.microsoft.com",
        "graph.microsoft.us",
        "dod-graph.microsoft.us",
        "microsoftgraph.chinacloudapi.cn",
    ];

    public static IServiceCollection AddGraphClient(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var rateLimit = sp.GetRequiredService<IOptions<GraphRateLimitOptions>>().Value;
            // The roster lives in the ledger's table: every instance of a deployment reaches it, and the identity already
            // may write there. Without a ledger (the CLI on its own) there is nobody to share with.
            var ledger = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            var storage = ledger.IsConfigured ? sp.GetService<TableServiceClient>() : null;
            var roster = storage is null ? null : new GraphBudgetRoster(storage, ledger.TableName, ledger.OperationTimeout);
            return new GraphBudget(roster, rateLimit.Shared, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GraphBudget>>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            var credential = sp.GetRequiredService<TokenCredential>();
            var rateLimit = sp.GetRequiredService<IOptions<GraphRateLimitOptions>>().Value;
            return Create(options, credential, rateLimit.Enabled
                ? new GraphRateLimitHandler(rateLimit, sp.GetRequiredService<GraphBudget>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<GraphRateLimitHandler>>())
                : null);
        });
        return services;
    }

    internal static GraphServiceClient Create(GraphOptions options, TokenCredential credential, GraphRateLimitHandler? rateLimit = null)
    {
        var handlers = GraphClientFactory.CreateDefaultHandlers();
        var retry = handlers.FirstOrDefault(h => h is RetryHandler);
        var retryIndex = retry is null ? -1 : handlers.IndexOf(retry);
        if (retry is not null)
        {
            handlers[retryIndex] = new RetryHandler(new RetryHandlerOption
            {
                MaxRetry = options.MaxRetries,
                Delay = options.RetryDelaySeconds,
            });
        }

        // Inside the retry handler (handlers[0] is outermost): every retry waits for the rate limit like a first try,
        // and a 429 pauses all callers before the retry handler's own Retry-After wait starts.
        if (rateLimit is not null)
            handlers.Insert(retryIndex + 1, rateLimit);

        var transport = new SocketsHttpHandler
        {
            // Recycle connections so DNS changes in Graph's front doors are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
        };
        var httpClient = GraphClientFactory.Create(handlers, finalHandler: transport);
        httpClient.Timeout = options.Timeout;

        // The token's audience is the Graph host itself, so national clouds work by changing BaseUrl alone. Tokens go
        // to Graph's own hosts only (an empty list would mean "any host"): a local sandbox never sees one, and the
        // credential is never even asked.
        var scope = $"{options.BaseUrl.GetLeftPart(UriPartial.Authority)}/.default";
        var authentication = new AzureIdentityAuthenticationProvider(credential, GraphHosts, scopes: [scope]);
        return new GraphServiceClient(httpClient, authentication, options.BaseUrl.ToString().TrimEnd('/'));
    }
}
