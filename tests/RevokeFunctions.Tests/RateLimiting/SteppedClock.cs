using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RevokeFunctions.Graph;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>
/// A <see cref="FakeTimeProvider"/> moved in small steps, with every continuation of the code under test run on the
/// test's own thread between two steps (it is the code's <see cref="SynchronizationContext"/>). What has happened by a
/// given fake instant therefore depends on the clock alone, never on how busy the machine is: no test using it waits for
/// real time or races the thread pool. Everything the code awaits must be the clock or already complete (substituted
/// rosters, <see cref="GraphWriteRecorder"/>), which holds for the rate limiter and the budget.
/// </summary>
internal sealed class SteppedClock : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> work = new();

    /// <param name="start">Whole seconds, so slot grids of whole milliseconds line up with it.</param>
    public SteppedClock(DateTimeOffset start) => Time = new FakeTimeProvider(start);

    public FakeTimeProvider Time { get; }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (work)
            work.Enqueue((d, state));
    }

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    /// <summary>Starts <paramref name="start"/>'s work with this context, then runs it until it waits for the clock.</summary>
    public T Start<T>(Func<T> start)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            var started = start();
            RunPending();
            return started;
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Moves the clock by <paramref name="step"/> at a time for <paramref name="span"/>, running what each step wakes.</summary>
    public void Advance(TimeSpan span, TimeSpan step)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            for (var moved = TimeSpan.Zero; moved < span; moved += step)
            {
                Time.Advance(step);
                RunPending();
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private void RunPending()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (work)
            {
                if (!work.TryDequeue(out next))
                    return;
            }
            next.Callback(next.State);
        }
    }
}

/// <summary>
/// Graph's end of a <see cref="GraphRateLimitHandler"/> under a <see cref="SteppedClock"/>: answers every call at once
/// and records which instance sent a write (or a read) at which fake instant, so tests check the writes against Graph's
/// window.
/// </summary>
internal sealed class GraphWriteRecorder(TimeProvider time)
{
    private readonly List<(int Instance, DateTimeOffset At)> writes = [];
    private readonly List<(int Instance, DateTimeOffset At)> reads = [];
    private readonly TimeProvider time = time;

    public IReadOnlyList<(int Instance, DateTimeOffset At)> Writes => writes;

    /// <summary>The calls without writes (GET), as <see cref="Writes"/>.</summary>
    public IReadOnlyList<(int Instance, DateTimeOffset At)> Reads => reads;

    /// <summary>A rate limiter for instance <paramref name="instance"/> with <paramref name="budget"/>, in front of this recorder.</summary>
    public HttpMessageInvoker Instance(int instance, GraphRateLimitOptions options, GraphBudget budget) =>
        new(new GraphRateLimitHandler(options, budget, time, NullLogger<GraphRateLimitHandler>.Instance)
        {
            InnerHandler = new Answering(this, instance),
        });

    /// <summary>Starts <paramref name="count"/> revocations at once through <paramref name="invoker"/>.</summary>
    public static Task<HttpResponseMessage>[] Revoke(HttpMessageInvoker invoker, int count) =>
        [.. Enumerable.Range(0, count).Select(i => invoker.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, $"https://graph.microsoft.com/v1.0/users/{Guid.NewGuid()}/revokeSignInSessions"),
            CancellationToken.None))];

    /// <summary>Starts <paramref name="count"/> reads of users' sign-in session times at once, as the verification timer makes them.</summary>
    public static Task<HttpResponseMessage>[] Read(HttpMessageInvoker invoker, int count) =>
        [.. Enumerable.Range(0, count).Select(i => invoker.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"https://graph.microsoft.com/v1.0/users/{Guid.NewGuid()}?$select=signInSessionsValidFromDateTime"),
            CancellationToken.None))];

    /// <summary>The most writes any window of <paramref name="window"/> saw, counted as Graph's sandbox counts (a write leaves after exactly one window).</summary>
    public int MostInAnyWindow(TimeSpan window)
    {
        var at = writes.Select(w => w.At).Order().ToArray();
        var most = 0;
        for (int first = 0, last = 0; last < at.Length; last++)
        {
            while (at[first] <= at[last] - window)
                first++;
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }

    private sealed class Answering(GraphWriteRecorder recorder, int instance) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var calls = request.Method == HttpMethod.Get ? recorder.reads : recorder.writes;
            lock (calls)
                calls.Add((instance, recorder.time.GetUtcNow()));
            return Task.FromResult(new HttpResponseMessage(request.Method == HttpMethod.Get ? HttpStatusCode.OK : HttpStatusCode.NoContent) { RequestMessage = request });
        }
    }
}
