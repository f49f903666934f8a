using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// A local HTTP server on 127.0.0.1 (port chosen by the OS) speaking the slice of Microsoft Graph v1.0 the app uses.
/// Point the Graph SDK at <see cref="BaseUrl"/>. No authentication is asked for.
/// </summary>
public sealed class GraphSandboxServer : IAsyncDisposable
{
    /// <summary>Graph's bodies here are tiny; anything larger is a client bug, answered 413.</summary>
    private const long MaxRequestBodyBytes = 1024 * 1024;

    private readonly WebApplication app;
    private readonly RequestRecorder recorder = new();
    private readonly FaultList faults = new();
    private readonly ThrottleGate throttle = new();
    private readonly CancellationTokenSource stopping = new();
    private int disposed;

    private GraphSandboxServer(WebApplication app, SandboxTenant tenant, GraphSandboxOptions options)
    {
        this.app = app;
        Tenant = tenant;
        Options = options;
        BaseUrl = new Uri("http://127.0.0.1/v1.0");
    }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/v1.0</c>, without a trailing slash.</summary>
    public Uri BaseUrl { get; private set; }

    public SandboxTenant Tenant { get; }

    public GraphSandboxOptions Options { get; }

    /// <summary>A snapshot of every completed request since start or the last <see cref="ResetRecording"/>, in arrival order.</summary>
    public IReadOnlyList<SandboxRequest> Requests => recorder.Requests;

    /// <summary>Successful revokeSignInSessions calls, all users together.</summary>
    public int TotalRevocations => recorder.TotalRevocations;

    /// <summary>Comments added to Defender XDR alerts (<c>POST /security/alerts_v2/{id}/comments</c>), in arrival order.</summary>
    public IReadOnlyList<SandboxAlertComment> AlertComments => recorder.AlertComments;

    /// <summary>Mail sent (<c>POST /users/{sender}/sendMail</c>), in arrival order.</summary>
    public IReadOnlyList<SandboxMail> SentMail => recorder.SentMail;

    /// <summary>429 answers given, whether from throttling or an injected fault.</summary>
    public int Throttled => recorder.Throttled;

    public static async Task<GraphSandboxServer> StartAsync(SandboxTenant tenant, GraphSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        options ??= new GraphSandboxOptions();

        // The empty builder reads no appsettings, environment variables or ASPNETCORE_URLS of the host process, so the
        // sandbox behaves the same inside tests, the CLI and the Functions host.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // Warnings and errors only, and on stderr: the CLI's stdout carries its machine-readable results.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(IPAddress.Loopback, 0);
        });

        var app = builder.Build();
        var server = new GraphSandboxServer(app, tenant, options);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<GraphSandboxServer>();
        var handler = new GraphRequestHandler(tenant, options, server.recorder, server.faults, server.throttle, logger, server.stopping.Token);
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
            server.BaseUrl = new Uri($"http://127.0.0.1:{BoundPort(app)}/v1.0");
            return server;
        }
        catch
        {
            await app.DisposeAsync();
            server.stopping.Dispose();
            throw;
        }
    }

    /// <summary>Successful revokeSignInSessions calls for one user, by id in any GUID form (or by UPN).</summary>
    public int RevocationCount(string userId) =>
        Tenant.Find(userId) is { } user ? recorder.RevocationCount(Guid.Parse(user.Id)) : 0;

    public void Inject(SandboxFault fault) => faults.Add(fault);

    public void ClearFaults() => faults.Clear();

    /// <summary>Clears <see cref="Requests"/>, the counters, comments, mail and the throttling windows; keeps the tenant and the faults.</summary>
    public void ResetRecording()
    {
        recorder.Reset();
        throttle.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        await stopping.CancelAsync();
        try
        {
            await app.StopAsync();
        }
        finally
        {
            await app.DisposeAsync();
            stopping.Dispose();
        }
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        return new Uri(address).Port;
    }
}
