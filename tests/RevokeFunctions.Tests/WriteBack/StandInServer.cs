using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// A local HTTP server on 127.0.0.1 standing in for Azure Resource Manager or a chat webhook: it records every request
/// (method, path, query, headers, body) and answers 200, or the failures queued with <see cref="Fail"/>.
/// </summary>
public sealed class StandInServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<StandInRequest> requests = new();
    private readonly ConcurrentQueue<(int Status, TimeSpan? RetryAfter)> failures = new();
    private int alwaysFailWith;

    private StandInServer(WebApplication app) => this.app = app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<StandInRequest> Requests => [.. requests];

    /// <summary>How long every answer takes from now on.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<StandInServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new StandInServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>The next <paramref name="times"/> requests are answered <paramref name="status"/>, with a Retry-After if given.</summary>
    public void Fail(int status, int times = 1, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
            failures.Enqueue((status, retryAfter));
    }

    /// <summary>Every request from now on is answered <paramref name="status"/>; 0 answers normally again.</summary>
    public void FailAlways(int status) => Volatile.Write(ref alwaysFailWith, status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new StandInRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body,
            DateTimeOffset.UtcNow));
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var always = Volatile.Read(ref alwaysFailWith);
        TimeSpan? retryAfter = null;
        if (always == 0 && failures.TryDequeue(out var queued))
            (always, retryAfter) = queued;
        if (always != 0)
        {
            context.Response.StatusCode = always;
            if (retryAfter is { } wait)
                context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""{"error":{"code":"StandInFailure","message":"answered {{{always}}} on purpose"}}""");
            return;
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{}");
    }
}
