using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// The single request pipeline: stamp ids, apply latency, injected faults, throttling, then the Graph operation, and
/// record the outcome. One hand-written router instead of endpoint routing keeps the decoding of keys under our control
/// (see <see cref="RequestTarget"/>) and every miss in Graph's error shape.
/// </summary>
internal sealed class GraphRequestHandler(
    SandboxTenant tenant,
    GraphSandboxOptions options,
    RequestRecorder recorder,
    FaultList faults,
    ThrottleGate throttle,
    ILogger logger,
    CancellationToken stopping)
{
    /// <summary>Recorded when no answer could be written: the client left or the sandbox stopped (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    private readonly UserEndpoints users = new(tenant, recorder, new SessionReplication(tenant, options));
    private readonly WriteEndpoints writes = new(tenant, recorder);

    public async Task HandleAsync(HttpContext context)
    {
        var sequence = recorder.NextSequence();
        var at = DateTimeOffset.UtcNow;
        var request = context.Request;
        var target = RequestTarget.From(request);
        var filter = request.Query.TryGetValue("$filter", out var filters) && filters.Count > 0 ? filters[0] : null;
        StampRequestIds(context);

        var status = ClientClosedRequest;
        try
        {
            await RespondAsync(context, target, sequence);
            status = context.Response.StatusCode;
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own refusals while reading the body, e.g. 413 over the size limit.
            await GraphResponses.WriteErrorAsync(context, new GraphError(ex.StatusCode, GraphError.DefaultCode(ex.StatusCode), ex.Message));
            status = ex.StatusCode;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "The Graph sandbox failed on {Method} {Path}", request.Method, target.Path);
            await GraphResponses.WriteErrorAsync(context, new GraphError(500, "InternalServerError", $"The Graph sandbox failed: {ex.Message}"));
            status = 500;
        }
        finally
        {
            recorder.Record(sequence, new SandboxRequest(request.Method, target.Path, target.Query, filter, status, at));
        }
    }

    private async Task RespondAsync(HttpContext context, RequestTarget target, long sequence)
    {
        var method = context.Request.Method;
        var latency = options.Latency;
        if (latency > TimeSpan.Zero)
            await DelayAsync(latency, context.RequestAborted);

        if (faults.Take(method, target.Path) is { } fault)
        {
            if (fault.Delay is { } delay && delay > TimeSpan.Zero)
                await DelayAsync(delay, context.RequestAborted);
            if (fault.StatusCode != 0)
            {
                // Graph always says when to come back after a 429.
                var retryAfter = fault.RetryAfterSeconds ?? (fault.StatusCode == StatusCodes.Status429TooManyRequests ? 1 : null);
                if (retryAfter is int seconds)
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await GraphResponses.WriteErrorAsync(context, GraphError.FromStatus(fault.StatusCode, fault.ErrorCode));
                return;
            }
        }

        var route = GraphRoute.Match(method, target.Segments);
        switch (route.Operation)
        {
            case GraphOperation.UnknownRoute:
                await GraphResponses.WriteErrorAsync(context, GraphError.UnknownRoute(method, target.Path));
                return;
            case GraphOperation.MethodNotAllowed:
                context.Response.Headers.Allow = route.Allow;
                await GraphResponses.WriteErrorAsync(context, GraphError.MethodNotAllowed(method, target.Path));
                return;
        }

        if (throttle.TryAdmit(options, route.IsWrite, route.ResourceUnits) is { } wait)
        {
            // Retry-After has whole seconds only; retry-after-ms (as Azure SDKs read it) keeps scaled windows exact.
            var headers = context.Response.Headers;
            headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            headers["retry-after-ms"] = Math.Max(1, (long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
            await GraphResponses.WriteErrorAsync(context, GraphError.TooManyRequests());
            return;
        }

        await (route.Operation switch
        {
            GraphOperation.GetUser => users.GetUserAsync(context, route.Key),
            GraphOperation.ListUsers => users.ListUsersAsync(context),
            GraphOperation.UpdateUser => users.UpdateUserAsync(context, route.Key),
            GraphOperation.RevokeSignInSessions => users.RevokeSignInSessionsAsync(context, route.Key, sequence),
            GraphOperation.CheckMemberGroups => users.CheckMemberGroupsAsync(context, route.Key),
            GraphOperation.GetManager => users.GetManagerAsync(context, route.Key),
            GraphOperation.SendMail => writes.SendMailAsync(context, route.Key, sequence),
            GraphOperation.AddAlertComment => writes.AddAlertCommentAsync(context, route.Key, sequence),
            _ => throw new InvalidOperationException($"Unrouted operation {route.Operation}."),
        });
    }

    // Cut short when the client leaves or the sandbox stops, so a long injected delay never holds up shutdown.
    private async Task DelayAsync(TimeSpan delay, CancellationToken requestAborted)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        await Task.Delay(delay, either.Token);
    }

    private static void StampRequestIds(HttpContext context)
    {
        var clientRequestId = context.Request.Headers[GraphResponses.ClientRequestIdHeader].ToString();
        var headers = context.Response.Headers;
        headers[GraphResponses.RequestIdHeader] = Guid.NewGuid().ToString();
        headers[GraphResponses.ClientRequestIdHeader] = clientRequestId.Length > 0 ? clientRequestId : Guid.NewGuid().ToString();
    }
}
