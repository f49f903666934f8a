using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevokeFunctions.GraphSandbox.Tests.Infrastructure;

/// <summary>A started sandbox plus a plain <see cref="HttpClient"/> whose base address is the sandbox's /v1.0/.</summary>
public sealed class SandboxSession : IAsyncDisposable
{
    private SandboxSession(GraphSandboxServer server)
    {
        Server = server;
        Client = new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public GraphSandboxServer Server { get; }

    public HttpClient Client { get; }

    public static async Task<SandboxSession> StartAsync(GraphSandboxOptions? options = null, SandboxTenant? tenant = null) =>
        new(await GraphSandboxServer.StartAsync(tenant ?? SandboxTenant.Load(TestPaths.TenantFile), options));

    public Task<HttpResponseMessage> GetAsync(string relativeUri) => Client.GetAsync(new Uri(relativeUri, UriKind.Relative));

    public Task<HttpResponseMessage> PostJsonAsync(string relativeUri, string json = "") =>
        Client.PostAsync(new Uri(relativeUri, UriKind.Relative), Json(json));

    public Task<HttpResponseMessage> PatchJsonAsync(string relativeUri, string json) =>
        Client.PatchAsync(new Uri(relativeUri, UriKind.Relative), Json(json));

    public Task<HttpResponseMessage> RevokeAsync(string key) => PostJsonAsync($"users/{key}/revokeSignInSessions");

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Asserts Graph's error shape and returns the error code.</summary>
    public static async Task<string> ReadGraphErrorAsync(HttpResponseMessage response)
    {
        var error = (await ReadJsonAsync(response)).GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        var inner = error.GetProperty("innerError");
        Assert.True(DateTime.TryParse(inner.GetProperty("date").GetString(), out _));
        Assert.Equal(Header(response, "request-id"), inner.GetProperty("request-id").GetString());
        Assert.Equal(Header(response, "client-request-id"), inner.GetProperty("client-request-id").GetString());
        return error.GetProperty("code").GetString()!;
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    private static StringContent? Json(string json) =>
        json.Length == 0 ? null : new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
