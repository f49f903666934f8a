using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RevokeFunctions.App.Http;
using RevokeFunctions.App.Status;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;

namespace RevokeFunctions.Tests.Cli.Smoke;

/// <summary>
/// A deployed app on a loopback port, for <c>revoke smoke</c>: App Service Authentication's part (a bearer token for
/// the API, else 401; the principal header set for the function) in front of the app's real HTTP and status functions
/// and composition (<see cref="QueueTestEnvironment"/>: the Graph sandbox, the ledger on Azurite, the real queue
/// handler). It also answers the two Microsoft Graph service-principal reads the permission check makes, which the
/// Graph sandbox does not serve.
/// </summary>
public sealed class DeployedAppStandIn : IAsyncDisposable
{
    public const string Token = "token-for-the-api";
    public const string GraphServicePrincipalId = "6b0e9f3c-1c55-4a8e-9d3b-0f1a2b3c4d5e";

    /// <summary>Microsoft Graph's application permissions the check may look up (their IDs are the same in every tenant).</summary>
    public static readonly IReadOnlyDictionary<string, Guid> GraphAppRoles = new Dictionary<string, Guid>
    {
        ["User.RevokeSessions.All"] = Guid.Parse("77f3a031-c388-4f99-b373-dc68676a979e"),
        ["User.Read.All"] = Guid.Parse("df021288-bdef-4463-88db-98f22de89214"),
        ["GroupMember.Read.All"] = Guid.Parse("98830695-27a2-44f7-8c18-0c3ebc9698f6"),
        ["Mail.Send"] = Guid.Parse("b633e1c5-b582-4048-a93e-9f11b44c7e96"),
    };

    private readonly WebApplication web;

    private DeployedAppStandIn(WebApplication web, QueueTestEnvironment app, Uri baseUrl)
    {
        this.web = web;
        App = app;
        BaseUrl = baseUrl;
    }

    public QueueTestEnvironment App { get; }

    public Uri BaseUrl { get; }

    public string IdentityPrincipalId { get; } = Guid.NewGuid().ToString("D");

    /// <summary>The Graph permissions the managed identity has been granted.</summary>
    public HashSet<string> Granted { get; } = ["User.RevokeSessions.All", "User.Read.All", "GroupMember.Read.All"];

    public static async Task<DeployedAppStandIn> StartAsync()
    {
        var app = await QueueTestEnvironment.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var web = builder.Build();
        DeployedAppStandIn? standIn = null;
        web.Run(context => standIn!.HandleAsync(context));
        await web.StartAsync();
        var address = web.Urls.Single();
        standIn = new DeployedAppStandIn(web, app, new Uri(address + "/"));
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/v1.0/servicePrincipals", StringComparison.Ordinal))
        {
            await GraphAsync(context, path);
            return;
        }

        // App Service Authentication: only a token for the API gets in, and the function sees the caller's principal.
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        context.Request.Headers[ClientPrincipal.HeaderName] = HttpCall.Principal();
        context.RequestServices = App.Services;

        IActionResult result;
        if (HttpMethods.IsPost(context.Request.Method) && path == "/api/revocations")
        {
            result = await ActivatorUtilities.CreateInstance<SubmitRevocationFunction>(App.Services).RunAsync(context.Request, context.RequestAborted);
        }
        else if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith("/api/revocations/", StringComparison.Ordinal))
        {
            var requestId = Uri.UnescapeDataString(path["/api/revocations/".Length..]);
            result = await ActivatorUtilities.CreateInstance<RevocationStatusFunction>(App.Services).RunAsync(context.Request, requestId, context.RequestAborted);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
    }

    private async Task GraphAsync(HttpContext context, string path)
    {
        object body;
        if (path == "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")
        {
            body = new
            {
                id = GraphServicePrincipalId,
                appRoles = GraphAppRoles.Select(r => new { id = r.Value, value = r.Key, allowedMemberTypes = new[] { "Application" } }),
            };
        }
        else if (path == $"/v1.0/servicePrincipals/{IdentityPrincipalId}/appRoleAssignments")
        {
            body = new
            {
                value = Granted.Select(name => new { id = Guid.NewGuid(), appRoleId = GraphAppRoles[name], principalId = IdentityPrincipalId, resourceId = GraphServicePrincipalId }),
            };
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            body = new { error = new { code = "Request_ResourceNotFound", message = $"Resource '{path}' does not exist." } };
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }

    public async ValueTask DisposeAsync()
    {
        await web.StopAsync();
        await web.DisposeAsync();
        await App.DisposeAsync();
    }
}
