using System.Collections.Concurrent;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RevokeFunctions.Requests;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// One delivery of one request: the record as read (lines, channels, source, dead letter) and the working set the
/// channels update side by side; what they sent is saved once they are done.
/// </summary>
internal sealed class DeliveryRun(WriteBackKey key, WriteBackState state, int delivery, WriteBackRecord record, TimeProvider time)
{
    public WriteBackKey Key { get; } = key;

    public WriteBackState State { get; } = state;

    /// <summary>Which delivery of the request this is (1 for the first); the record's attempts count these.</summary>
    public int Delivery { get; } = delivery;

    public ConcurrentDictionary<string, RecordedLine> Lines { get; } = new(state.Lines, StringComparer.Ordinal);

    /// <summary>The first request recorded under the key, so a retried request's comment reads exactly like the first's.</summary>
    public string RequestId => State.RequestId ?? "";

    public SourceReference? Source => State.Source;

    public IReadOnlyList<OutcomeLine> OrderedLines => [.. Lines.Values.Select(l => l.Line).OrderBy(l => l.Position)];

    public OutcomeSummary Summary() => new(RequestId, Source, State.Error, OrderedLines);

    /// <summary>Records a channel's state after this delivery.</summary>
    public Task SaveAsync(WriteBackChannel channel, ChannelStatus status, string? digest, string? problem) =>
        record.SaveChannelAsync(Key, RequestId, Source, channel, new ChannelRecord(status, digest, Delivery, problem, time.GetUtcNow()));

    public Task SaveRefusalNotifiedAsync() => record.SaveRefusalNotifiedAsync(Key, RequestId, Source);

    /// <summary>Posts unless the record shows exactly this text posted already; records the result either way.</summary>
    public async Task<ChannelOutcome> PostOnceAsync(WriteBackChannel channel, string text, Func<CancellationToken, Task> post, CancellationToken cancellationToken)
    {
        var digest = Digest(text);
        var previous = State.Channels.GetValueOrDefault(channel);
        if (previous is { Status: ChannelStatus.Done or ChannelStatus.AlreadyDone } && previous.Digest == digest)
            return new ChannelOutcome(channel, ChannelStatus.AlreadyDone);

        var result = await TryAsync(post, cancellationToken);
        var status = result.Succeeded ? ChannelStatus.Done : ChannelStatus.Failed;
        // A failure keeps the digest of what was last posted, so the next delivery still knows what is there.
        await SaveAsync(channel, status, result.Succeeded ? digest : previous?.Digest, result.Problem);
        return new ChannelOutcome(channel, status, Delivery, result.Problem, result.RetryAfter);
    }

    /// <summary>
    /// One call, already retried inside by the HTTP client's resilience handler (or the Graph SDK's retry handler):
    /// its failure becomes a result, named by status or kind only (never a URL, which may hold a secret).
    /// </summary>
    public static async Task<CallResult> TryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call(cancellationToken);
            return CallResult.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new CallResult(false, "not finished before the delivery was stopped");
        }
        catch (WriteBackException ex)
        {
            return new CallResult(false, ex.Message, ex.RetryAfter);
        }
        catch (TimeoutRejectedException ex)
        {
            return new CallResult(false, $"no answer within {ex.Timeout.TotalSeconds:0.#} s");
        }
        catch (BrokenCircuitException)
        {
            // The circuit opened after repeated failures: calls are not even tried until it half-opens.
            return new CallResult(false, "not tried: too many recent failures (circuit open)");
        }
        catch (HttpRequestException ex)
        {
            // Transport faults (DNS, refused, reset), named by kind only.
            return new CallResult(false, "could not connect: " + (ex.HttpRequestError == HttpRequestError.Unknown ? "transport error" : ex.HttpRequestError.ToString()));
        }
        catch (OperationCanceledException)
        {
            return new CallResult(false, "no answer in time");
        }
        catch (Exception ex)
        {
            // Anything else is a defect, not an outage: recorded as this call's failure and kept from taking the other
            // channels down with it.
            return new CallResult(false, "failed: " + ex.GetType().Name);
        }
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}
