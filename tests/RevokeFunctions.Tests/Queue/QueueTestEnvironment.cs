using System.Text;
using Azure;
using Azure.Data.Tables;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.App;
using RevokeFunctions.App.Http;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Ledger;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// A fresh Graph sandbox plus the app's real composition, with one substitution: the <see cref="ServiceBusSender"/> is an
/// NSubstitute substitute (<see cref="SubstituteSender"/>), so what the app would put on the queue is visible (Service Bus has no local
/// emulator to send to). Everything else, the queue handler, the HTTP function and the ledger (on Azurite) included, is
/// what runs in Azure.
/// </summary>
public sealed class QueueTestEnvironment : IAsyncDisposable
{
    private QueueTestEnvironment(GraphSandboxServer sandbox, ServiceProvider services, SubstituteSender sender)
    {
        Sandbox = sandbox;
        Services = services;
        Sender = sender;
    }

    public GraphSandboxServer Sandbox { get; }

    public ServiceProvider Services { get; }

    public SubstituteSender Sender { get; }

    public RevocationQueueHandler Handler => Services.GetRequiredService<RevocationQueueHandler>();

    public TimeProvider Time => Services.GetRequiredService<TimeProvider>();

    /// <param name="withSender">False leaves the composition as it is without a namespace: no sender at all.</param>
    /// <param name="replace">Registrations that take precedence over the app's own (a failing dependency).</param>
    public static async Task<QueueTestEnvironment> StartAsync(
        IDictionary<string, string?>? settings = null, TimeProvider? time = null, bool withSender = true,
        Action<IServiceCollection>? replace = null)
    {
        var sandbox = await GraphSandboxServer.StartAsync(SandboxTenant.Load(TestPaths.TenantFile));
        var values = new Dictionary<string, string?>
        {
            ["Graph:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Graph:MaxRetries"] = "2",
            ["Graph:RetryDelaySeconds"] = "0",
            ["Azure:Credential"] = "Developer",
            // App Service Authentication is on, as infra deploys it (the platform sets this setting).
            ["WEBSITE_AUTH_ENABLED"] = "True",
            // The real ledger on Azurite, in a table of its own, as TestEnvironment has it.
            ["Ledger:connectionString"] = "UseDevelopmentStorage=true",
            ["Ledger:TableName"] = TestEnvironment.NewTableName(),
            ["Guards:StormGuard:TableName"] = TestEnvironment.NewTableName(),
            ["Guards:StormGuard:MaxUsers"] = TestEnvironment.StormGuardLimit,
            // No hold before abandoning after a send failure, unless a test is about that hold.
            ["Queue:SendFailureBackoff"] = "00:00:00",
            ["Queue:SendFailureBackoffMax"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var sender = new SubstituteSender();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        if (time is not null)
            services.AddSingleton(time);
        AppComposition.Configure(services, configuration);
        if (withSender)
            services.AddSingleton(sender.Sender);
        replace?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new QueueTestEnvironment(sandbox, provider, sender);
    }

    /// <summary>Runs the queue handler on one delivery and returns the settlement port it used.</summary>
    public async Task<(QueueSettlement Settlement, SubstituteSettlement Port)> HandleAsync(
        ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        var port = new SubstituteSettlement();
        var settlement = await Handler.HandleAsync(message, port.Port, cancellationToken);
        return (settlement, port);
    }

    /// <summary>Posts to the HTTP function the way the Functions host does, with this environment's services.</summary>
    /// <param name="principal">The caller's principal header; null: the default person with the submit role.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c> header, if any.</param>
    public async Task<HttpCall.Response> PostAsync(byte[] body, string contentType = "application/json", string? principal = null, string? idempotencyKey = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/revocations";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        HttpCall.SignIn(context.Request, principal ?? HttpCall.Principal());
        if (idempotencyKey is not null)
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var function = ActivatorUtilities.CreateInstance<SubmitRevocationFunction>(Services);
        var result = await function.RunAsync(context.Request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        responseBody.Position = 0;
        using var document = await JsonDocument.ParseAsync(responseBody);
        return new HttpCall.Response(context.Response.StatusCode, context.Response.ContentType ?? "", document.RootElement.Clone(), context.Response.Headers);
    }

    public Task<HttpCall.Response> PostAsync(string body) => PostAsync(Encoding.UTF8.GetBytes(body));

    public async ValueTask DisposeAsync()
    {
        if (Services.GetService<TableServiceClient>() is { } tables)
        {
            var names = new[]
            {
                Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName,
                Services.GetRequiredService<IOptions<GuardOptions>>().Value.StormGuard.TableName,
            };
            foreach (var name in names)
            {
                try
                {
                    await tables.DeleteTableAsync(name);
                }
                catch (Exception ex) when (RevokeFunctions.Hosting.DependencyFailure.IsStorageFailure(ex))
                {
                    // The table was never created, or the test made storage unreachable: nothing to clean up.
                }
            }
        }
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
