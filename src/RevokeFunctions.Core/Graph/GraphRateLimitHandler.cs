using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.Graph;

/// <summary>
/// Paces every Graph call of the process to Graph's identity and access quotas (<see cref="GraphRateLimitOptions"/>):
/// a token bucket for writes and one for resource units, each call taking what <see cref="GraphRequestCost"/> says it
/// costs. When Graph answers 429 anyway (another instance, another tool on the same app registration), every caller
/// pauses until the <c>Retry-After</c> instant: the calls queued behind a 429 would only be refused too, and each
/// refusal spends budget. It sits inside the SDK's retry handler, so each retry is paced and seen like a first try.
/// </summary>
public sealed partial class GraphRateLimitHandler : DelegatingHandler
{
    /// <summary>Shortest refill period: finer wakes the timer (and idle thread-pool threads) more often for nothing.</summary>
    private static readonly TimeSpan MinimumRefillPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>When a 429 carries no Retry-After (Graph always sends one; a proxy may not).</summary>
    private static readonly TimeSpan DefaultPause = TimeSpan.FromSeconds(1);

    private readonly TokenBucketRateLimiter writes;
    private readonly TokenBucketRateLimiter resourceUnits;
    private readonly int writeBurst;
    private readonly int resourceUnitBurst;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private long pausedUntil;

    public GraphRateLimitHandler(GraphRateLimitOptions options, TimeProvider time, ILogger<GraphRateLimitHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.time = time;
        this.logger = logger;
        writeBurst = options.WriteBurst;
        resourceUnitBurst = options.ResourceUnitBurst;
        writes = Bucket(options.WriteBurst, options.WritesPerSecond, options.MaxQueuedCalls);
        resourceUnits = Bucket(options.ResourceUnitBurst, options.ResourceUnitsPerSecond, options.MaxQueuedCalls * 4);
        pausedUntil = time.GetTimestamp();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var cost = GraphRequestCost.Of(request.Method, request.RequestUri);
        await WaitOutPauseAsync(cancellationToken);
        if (cost.Writes > 0)
        {
            using var writeLease = await writes.AcquireAsync(Math.Min(cost.Writes, writeBurst), cancellationToken);
            if (!writeLease.IsAcquired)
                return QueueFull(request, writeLease);
        }
        using (var unitLease = await resourceUnits.AcquireAsync(Math.Min(cost.ResourceUnits, resourceUnitBurst), cancellationToken))
        {
            if (!unitLease.IsAcquired)
                return QueueFull(request, unitLease);
        }

        // A 429 may have arrived while this call waited for its tokens.
        await WaitOutPauseAsync(cancellationToken);

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            PauseFor(RetryAfter(response), response);
        return response;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            writes.Dispose();
            resourceUnits.Dispose();
        }
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

    private void PauseFor(TimeSpan delay, HttpResponseMessage response)
    {
        var until = time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency);
        var current = Interlocked.Read(ref pausedUntil);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref pausedUntil, until, current);
            if (seen == current)
            {
                LogPaused(logger, delay.TotalMilliseconds, Header(response, "x-ms-throttle-scope"), Header(response, "x-ms-throttle-information"));
                return;
            }
            current = seen;
        }
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
    private HttpResponseMessage QueueFull(HttpRequestMessage request, RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : DefaultPause;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        LogQueueFull(logger, seconds);
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TokenBucketRateLimiter Bucket(int burst, double perSecond, int queueLimit)
    {
        // Refill k tokens every k/rate seconds, k as small as the minimum period allows, so calls leave evenly spaced.
        var perPeriod = (int)Math.Clamp(Math.Floor(perSecond * MinimumRefillPeriod.TotalSeconds), 1, burst);
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(perPeriod / perSecond),
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning,
        Message = "Graph answered 429; every Graph call pauses for {PauseMilliseconds} ms (throttle scope {ThrottleScope}, reason {ThrottleReason})")]
    private static partial void LogPaused(ILogger logger, double pauseMilliseconds, string? throttleScope, string? throttleReason);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning,
        Message = "More Graph calls are waiting for the rate limit than Graph:RateLimit:MaxQueuedCalls allows; answering 429, retry after {RetryAfterSeconds} s")]
    private static partial void LogQueueFull(ILogger logger, int retryAfterSeconds);
}
