using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Runs one write-back call with bounded retries: at most <see cref="WriteBackOptions.MaxAttempts"/> tries, each within
/// <see cref="WriteBackOptions.CallTimeout"/>, waiting <see cref="WriteBackOptions.RetryDelay"/> (doubling) between
/// transient failures. It never throws for the call's failure: the caller records it and the revocation stands.
/// </summary>
public sealed class WriteBackCall(IOptions<WriteBackOptions> options, TimeProvider time)
{
    /// <summary>A Retry-After longer than this is not waited for: the failure is recorded instead.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(10);

    public async Task<CallResult> RunAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var settings = options.Value;
        var delay = settings.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            var transient = true;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(settings.CallTimeout);
                try
                {
                    await call(timeout.Token);
                    return new CallResult(true, attempt, null);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return new CallResult(false, attempt, "not finished within the write-back's time budget");
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    problem = $"no answer within {settings.CallTimeout.TotalSeconds:0.#} s";
                }
                catch (WriteBackException ex)
                {
                    problem = ex.Message;
                    transient = ex.IsTransient;
                    retryAfter = ex.RetryAfter;
                }
                catch (HttpRequestException ex)
                {
                    // Transport faults (DNS, refused, reset), named by kind only: never a URL, which may hold a secret.
                    problem = "could not connect: " + (ex.HttpRequestError == HttpRequestError.Unknown ? "transport error" : ex.HttpRequestError.ToString());
                }
                catch (Exception ex) when (DependencyFailure.IsCredentialFailure(ex))
                {
                    // The managed identity's endpoint did not hand out a token: an outage like any other, retried.
                    problem = DependencyFailure.Describe(ex);
                }
                catch (OperationCanceledException)
                {
                    // The HTTP client's own backstop timeout.
                    problem = "no answer in time";
                }
                catch (Exception ex)
                {
                    // Anything else is a defect, not an outage: recorded as this call's failure, not retried, and kept
                    // from taking the other write-backs down with it.
                    problem = "failed: " + ex.GetType().Name;
                    transient = false;
                }
            }

            if (!transient || attempt >= settings.MaxAttempts)
                return new CallResult(false, attempt, problem);
            var wait = retryAfter is { } asked && asked > delay ? asked : delay;
            if (wait > MaxRetryAfter)
                return new CallResult(false, attempt, problem + $" (asked to wait {wait.TotalSeconds:0} s)");
            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return new CallResult(false, attempt, problem + "; not retried within the write-back's time budget");
            }
            delay += delay;
        }
    }
}
