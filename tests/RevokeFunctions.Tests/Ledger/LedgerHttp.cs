using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.App.Http;
using RevokeFunctions.App.Status;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>The app's HTTP functions called the way the Functions host calls them: a real HttpContext in, the result executed.</summary>
public static class LedgerHttp
{
    public static async Task<HttpCall.Response> PostAsync(TestEnvironment env, string body, string? idempotencyKey = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = NewContext(env.Services, "POST", "/api/revocations");
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        if (idempotencyKey is not null)
            context.Request.Headers["Idempotency-Key"] = idempotencyKey;
        HttpCall.SignIn(context.Request);
        var function = ActivatorUtilities.CreateInstance<SubmitRevocationFunction>(env.Services);
        return await ExecuteAsync(context, await function.RunAsync(context.Request, CancellationToken.None));
    }

    /// <summary><c>GET /api/revocations/{requestId}</c> through the real function class, resolved from the app's composition.</summary>
    public static Task<HttpCall.Response> GetStatusAsync(TestEnvironment env, string requestId) =>
        GetStatusAsAsync(env.Services, HttpCall.Principal(), requestId);

    /// <summary>The same against any composition of the app (a queue test's).</summary>
    public static Task<HttpCall.Response> GetStatusAsync(IServiceProvider services, string requestId) =>
        GetStatusAsAsync(services, HttpCall.Principal(), requestId);

    /// <summary>The same, as a given caller (<c>null</c>: no principal at all).</summary>
    public static Task<HttpCall.Response> GetStatusAsAsync(TestEnvironment env, string? principal, string requestId) =>
        GetStatusAsAsync(env.Services, principal, requestId);

    private static async Task<HttpCall.Response> GetStatusAsAsync(IServiceProvider services, string? principal, string requestId)
    {
        var context = NewContext(services, "GET", "/api/revocations/" + Uri.EscapeDataString(requestId));
        HttpCall.SignIn(context.Request, principal);
        var function = ActivatorUtilities.CreateInstance<RevocationStatusFunction>(services);
        return await ExecuteAsync(context, await function.RunAsync(context.Request, requestId, CancellationToken.None));
    }

    private static DefaultHttpContext NewContext(IServiceProvider services, string method, string path)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<HttpCall.Response> ExecuteAsync(DefaultHttpContext context, IActionResult result)
    {
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return new HttpCall.Response(context.Response.StatusCode, context.Response.ContentType ?? "", document.RootElement.Clone(), context.Response.Headers);
    }
}
