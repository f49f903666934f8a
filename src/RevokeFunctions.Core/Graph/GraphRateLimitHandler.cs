using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.Graph;

/// <summary>
/// Paces every Graph call of the process to its share of Graph's identity and access quotas
/// (<see cref="GraphRateLimitOptions"/>, the whole app's): <see cref="GraphBudget"/> says which share (1/k of the writes
/// among k writing instances, 1/n of the resource units among n busy ones), <see cref="GraphCallPacer"/> when each call may go, by what <see cref="GraphRequestCost"/> says it costs.
/// When Graph answers 429 anyway (another tool on the same app registration, the tenant-wide write limit), every caller
/// pauses until the <c>Retry-After</c> instant, since calls queued behind a 429 would only be refused too and each
/// refusal spends budget, and the share shrinks for a while. It sits inside the SDK's retry handler, so each retry is
/// paced and seen like a first try.
/// </summary>
public sealed partial class GraphRateLimitHandler : DelegatingHandler
{
    /// <summary>When a 429 carries no Retry-After (Graph always sends one; a proxy may not).</summary>
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    private readonly GraphCallPacer pacer;
    private readonly GraphBudget budget;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly int maxQueued;
    // Writes take their slots one at a time, in arrival order (SemaphoreSlim hands its count to the oldest async waiter).
    private readonly SemaphoreSlim writeTurn = new(1, 1);
    private long pausedUntil;
    private int waiting;

    public GraphRateLimitHandler(GraphRateLimitOptions options, GraphBudget budget, TimeProvider time, ILogger<GraphRateLimitHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.budget = budget;
        this.time = time;
        this.logger = logger;
        maxQueued = options.MaxQueuedCalls;
        pacer = new GraphCallPacer(options);
        pausedUntil = time.GetTimestamp();
    }

    /// <summary>Calls waiting for their turn or their time now (bounded by <c>MaxQueuedCalls</c>).</summary>
    internal int Waiting => Volatile.Read(ref waiting);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var cost = GraphRequestCost.Of(request.Method, request.RequestUri);
        await WaitOutPauseAsync(cancellationToken);
        var refused = cost.Writes > 0
            ? await TakeWriteSlotAsync(cost, cancellationToken)
            : await TakeUnitsAsync(cost, cancellationToken);
        if (refused is { } retryAfter)
            return QueueFull(request, retryAfter);

        // A 429 may have arrived while this call waited for its turn.
        await WaitOutPauseAsync(cancellationToken);

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && PauseFor(RetryAfter(response), response))
            budget.Throttled();
        return response;
    }

    /// <summary>A call without writes waits for its resource units only. Null when it may go; else the wait to suggest.</summary>
    private async Task<TimeSpan?> TakeUnitsAsync(GraphRequestCost cost, CancellationToken cancellationToken)
    {
        var share = await budget.ShareAsync(writing: false, cancellationToken);
        var queued = Interlocked.Increment(ref waiting);
        try
        {
            var now = time.GetUtcNow().UtcTicks;
            if (pacer.Reserve(cost, share, now, mayWait: queued <= maxQueued, out var retryAt) is not { } reservation)
                return TimeSpan.FromTicks(retryAt - now);
            if (reservation.GoAt > now)
                await Task.Delay(TimeSpan.FromTicks(reservation.GoAt - now), time, cancellationToken);
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    /// <summary>
    /// A write waits for its turn, then for its slot. Its slot is planned only when its turn comes, with the share of
    /// that moment, and planned again if the share changes while it waits: slots handed out ahead to every waiting write
    /// would keep the share they were planned at (a joining instance's provisional 1/FallbackInstances, the fallback while
    /// the roster was unreachable) long after the share grew. Null when it may go; else the wait to suggest.
    /// </summary>
    private async Task<TimeSpan?> TakeWriteSlotAsync(GraphRequestCost cost, CancellationToken cancellationToken)
    {
        var queued = Interlocked.Increment(ref waiting);
        try
        {
            if (!writeTurn.Wait(0, CancellationToken.None))
            {
                if (queued > maxQueued)
                    return TimeSpan.FromTicks(queued * pacer.WriteSpacing(await budget.ShareAsync(writing: true, cancellationToken)));
                await writeTurn.WaitAsync(cancellationToken);
            }
            try
            {
                while (true)
                {
                    var share = await budget.ShareAsync(writing: true, cancellationToken);
                    var now = time.GetUtcNow().UtcTicks;
                    var reservation = pacer.Reserve(cost, share, now, mayWait: true, out _)!.Value;
                    if (reservation.GoAt <= now || await SlotCameAsync(reservation, share, now, cancellationToken))
                        return null;
                }
            }
            finally
            {
                writeTurn.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    /// <summary>True when the reserved slot came; false (the slot given back) when the share changed first.</summary>
    private async Task<bool> SlotCameAsync(GraphCallReservation reservation, GraphBudgetShare share, long now, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var slot = Task.Delay(TimeSpan.FromTicks(reservation.GoAt - now), time, stop.Token);
        var changed = budget.ChangedAsync(share, stop.Token);
        var first = await Task.WhenAny(slot, changed);
        // Cancel rather than CancelAsync: the other wait is released here, before this write goes on, not later on the pool.
        stop.Cancel();
        try
        {
            await first;
        }
        catch (OperationCanceledException)
        {
            pacer.Cancel(reservation);
            throw;
        }
        if (first == slot)
            return true;
        pacer.Cancel(reservation);
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            writeTurn.Dispose();
        base.Dispose(disposing);
    }

    private async Task WaitOutPauseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var remaining = time.GetElapsedTime(time.GetTimestamp(), Interlocked.Read(ref pausedUntil));
            if (remaining <= TimeSpan.Zero)
                return;
            await Task.Delay(remaining, time, cancellationToken);
        }
    }

    /// <summary>True when this 429 started or lengthened the pause; the 429s of calls already under way do not count again.</summary>
    private bool PauseFor(TimeSpan delay, HttpResponseMessage response)
    {
        var until = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
        var current = Interlocked.Read(ref pausedUntil);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref pausedUntil, until, current);
            if (seen == current)
            {
                LogPaused(logger, delay.TotalMilliseconds, Header(response, "x-ms-throttle-scope"), Header(response, "x-ms-throttle-information"));
                return true;
            }
            current = seen;
        }
        return false;
    }

    /// <summary>
    /// Retry-After in seconds or as a date; the millisecond forms Azure services send (<c>retry-after-ms</c>,
    /// <c>x-ms-retry-after-ms</c>) win when present, being exact.
    /// </summary>
    internal static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        foreach (var name in (ReadOnlySpan<string>)["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (Header(response, name) is { } text
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
                return TimeSpan.FromMilliseconds(ms);
        }
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
            return delta;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return DefaultPause;
    }

    // Beyond MaxQueuedCalls the caller gets what Graph itself would say: 429 with a time to come back. The SDK's retry
    // handler and the pipeline's transient-failure path already know what to do with that.
    private HttpResponseMessage QueueFull(HttpRequestMessage request, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        LogQueueFull(logger, seconds);
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning,
        Message = "Graph answered 429; every Graph call pauses for {PauseMilliseconds} ms (throttle scope {ThrottleScope}, reason {ThrottleReason})")]
    private static partial void LogPaused(ILogger logger, double pauseMilliseconds, string? throttleScope, string? throttleReason);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning,
        Message = "More Graph calls are waiting for the rate limit than Graph:RateLimit:MaxQueuedCalls allows; answering 429, retry after {RetryAfterSeconds} s")]
    private static partial void LogQueueFull(ILogger logger, int retryAfterSeconds);
}
