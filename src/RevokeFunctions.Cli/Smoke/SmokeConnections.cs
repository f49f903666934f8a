using Azure.Core;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;
using RevokeFunctions.Operations;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Cli.Smoke;

/// <summary>
/// What <c>revoke smoke</c> talks to, all as the signed-in operator: the app over HTTP (a bearer token for the API),
/// Microsoft Graph (to read the managed identity's app-role assignments), the queue (send) and its dead letters.
/// </summary>
public sealed class SmokeConnections(HttpClient app, TokenCredential caller, GraphServiceClient graph, ServiceBusSender queue, DeadLetterQueue deadLetters)
    : IAsyncDisposable
{
    private static readonly string[] GraphScopes = ["https://graph.microsoft.com/.default"];

    private const string AppClient = "revoke-smoke-app";

    private DeadLetterQueueConnection? owned;
    private ServiceProvider? clientProvider;

    /// <summary>The app, its base address the app's URL.</summary>
    public HttpClient App { get; } = app ?? throw new ArgumentNullException(nameof(app));

    /// <summary>The operator's sign-in, for the API's token.</summary>
    public TokenCredential Caller { get; } = caller ?? throw new ArgumentNullException(nameof(caller));

    public GraphServiceClient Graph { get; } = graph ?? throw new ArgumentNullException(nameof(graph));

    /// <summary>A sender to the revocation queue.</summary>
    public ServiceBusSender Queue { get; } = queue ?? throw new ArgumentNullException(nameof(queue));

    public DeadLetterQueue DeadLetters { get; } = deadLetters ?? throw new ArgumentNullException(nameof(deadLetters));

    /// <summary>
    /// The deployed app's connections, signed in with the Azure CLI or the Azure Developer CLI (what an operator running
    /// <c>azd up</c> already has); never a key. Nothing is contacted until a check runs.
    /// </summary>
    /// <exception cref="DeadLetterAccessException">The namespace is not a host name.</exception>
    public static SmokeConnections Open(SmokeSettings settings, TimeProvider time, PayloadParser parser)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var caller = new Azure.Identity.ChainedTokenCredential(new Azure.Identity.AzureCliCredential(), new Azure.Identity.AzureDeveloperCliCredential());
        // From IHttpClientFactory like every outgoing client, but with no resilience handler on purpose: one try per call
        // with a clear timeout, because a smoke test proves the deployment answers and retries would hide that it doesn't.
        var clients = new ServiceCollection();
        clients.AddHttpClient(AppClient, client =>
        {
            client.BaseAddress = settings.AppUrl;
            client.Timeout = TimeSpan.FromSeconds(100);
        });
        var provider = clients.BuildServiceProvider();
        var app = provider.GetRequiredService<IHttpClientFactory>().CreateClient(AppClient);
        var graph = new GraphServiceClient(caller, GraphScopes);
        var connection = DeadLetterQueueConnection.Open(settings.Namespace, settings.QueueName, caller, time, parser);
        return new SmokeConnections(app, caller, graph, connection.Sender, connection.Queue) { owned = connection, clientProvider = provider };
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        if (clientProvider is not null)
            await clientProvider.DisposeAsync();
        Graph.Dispose();
        if (owned is not null)
            await owned.DisposeAsync();
    }
}
