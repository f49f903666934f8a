using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.App.Http;

namespace RevokeFunctions.Tests.Infrastructure;

/// <summary>
/// Calls the HTTP function the way the Functions host does: a real HttpContext in, the IActionResult executed. Requests
/// carry App Service Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> for a person holding <c>Revocations.Submit</c>
/// unless a test says otherwise.
/// </summary>
public static class HttpCall
{
    /// <summary>The default caller's object ID and name, as recorded as requester.</summary>
    public const string CallerObjectId = "5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11";
    public const string CallerName = "Tessa Morgan";
    public const string CallerAppId = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    public sealed record Response(int Status, string ContentType, JsonElement Body, IHeaderDictionary Headers);

    /// <summary>
    /// The principal header of an Entra ID user signed in to a client app (a delegated token: it carries <c>scp</c>)
    /// holding <paramref name="roles"/> (default: the submit role).
    /// </summary>
    public static string Principal(params string[] roles) => Build(delegated: true, roles);

    /// <summary>The principal header of an app-only token (a Logic App's managed identity): roles, no <c>scp</c>.</summary>
    public static string AppPrincipal(params string[] roles) => Build(delegated: false, roles);

    private static string Build(bool delegated, string[] roles)
    {
        if (roles.Length == 0)
            roles = [CallerAuthorization.SubmitRole];
        var claims = new List<string>
        {
            $$"""{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"{{CallerObjectId}}"}""",
            $$"""{"typ":"name","val":"{{CallerName}}"}""",
            $$"""{"typ":"azp","val":"{{CallerAppId}}"}""",
        };
        if (delegated)
            claims.Add("""{"typ":"http://schemas.microsoft.com/identity/claims/scope","val":"user_impersonation"}""");
        claims.AddRange(roles.Select(role => $$"""{"typ":"roles","val":"{{role}}"}"""));
        var json = $$"""{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{{string.Join(",", claims)}}]}""";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>The requester the ledger records for <see cref="Principal"/>.</summary>
    public static string Requester => $"{CallerName} (oid {CallerObjectId}, app {CallerAppId})";

    /// <summary>Signs a request in as App Service Authentication would; null leaves it without a principal.</summary>
    public static void SignIn(HttpRequest request, string? principal)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (principal is not null)
            request.Headers[ClientPrincipal.HeaderName] = principal;
    }

    /// <summary>As the default caller (a person with <c>Revocations.Submit</c>).</summary>
    public static void SignIn(HttpRequest request) => SignIn(request, Principal());

    public static Task<Response> PostAsync(TestEnvironment env, string body, string? contentType = "application/json", string query = "") =>
        PostAsync(env, Encoding.UTF8.GetBytes(body), contentType, query);

    public static Task<Response> PostAsync(TestEnvironment env, byte[] body, string? contentType = "application/json", string query = "") =>
        PostAsAsync(env, Principal(), body, contentType, query);

    /// <summary>As the caller <paramref name="principal"/> names (a header value), or with no principal at all when null.</summary>
    public static Task<Response> PostAsAsync(TestEnvironment env, string? principal, string body, string? contentType = "application/json", string query = "") =>
        PostAsAsync(env, principal, Encoding.UTF8.GetBytes(body), contentType, query);

    public static Task<Response> PostAsAsync(TestEnvironment env, string? principal, byte[] body, string? contentType = "application/json", string query = "")
    {
        ArgumentNullException.ThrowIfNull(env);
        return PostAsAsync(env.Services, principal, body, contentType, query);
    }

    public static async Task<Response> PostAsAsync(IServiceProvider services, string? principal, byte[] body, string? contentType = "application/json", string query = "")
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/revocations";
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body);
        SignIn(context.Request, principal);
        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        var function = ActivatorUtilities.CreateInstance<SubmitRevocationFunction>(services);
        var result = await function.RunAsync(context.Request, CancellationToken.None);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        responseBody.Position = 0;
        using var document = await JsonDocument.ParseAsync(responseBody);
        return new Response(context.Response.StatusCode, context.Response.ContentType ?? "", document.RootElement.Clone(), context.Response.Headers);
    }
}
