using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.App.Http;

namespace RevokeFunctions.Tests.Infrastructure;

/// <summary>Calls the HTTP function the way the Functions host does: a real HttpContext in, the IActionResult executed.</summary>
public static class HttpCall
{
    public sealed record Response(int Status, string ContentType, JsonElement Body, IHeaderDictionary Headers);

    public static Task<Response> PostAsync(TestEnvironment env, string body, string? contentType = "application/json", string query = "") =>
        PostAsync(env, Encoding.UTF8.GetBytes(body), contentType, query);

    public static async Task<Response> PostAsync(TestEnvironment env, byte[] body, string? contentType = "application/json", string query = "")
    {
        var context = new DefaultHttpContext { RequestServices = env.Services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/revocations";
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var function = ActivatorUtilities.CreateInstance<SubmitRevocationFunction>(env.Services);
        var result = await function.RunAsync(context.Request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        responseBody.Position = 0;
        using var document = await JsonDocument.ParseAsync(responseBody);
        return new Response(context.Response.StatusCode, context.Response.ContentType ?? "", document.RootElement.Clone(), context.Response.Headers);
    }
}
