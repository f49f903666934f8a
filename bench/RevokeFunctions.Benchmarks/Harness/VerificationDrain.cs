using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Verification;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// What the <c>VerifyRevocations</c> timer does, run beside a scenario: every second, the checks due in the verification
/// outbox are read back from the sandbox through the same Graph client and rate limiter as the revocations, so their
/// resource units are spent against the same budget. Off with <c>REVOKE_BENCH_VERIFICATION=off</c> (then the pipeline
/// schedules nothing either).
/// </summary>
internal sealed class VerificationDrain : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int verified;
    private int unverified;

    private VerificationDrain(RevocationVerifier verifier)
    {
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    foreach (var status in await verifier.VerifyDueAsync(stop.Token))
                        Interlocked.Increment(ref status.State == VerificationState.Verified ? ref verified : ref unverified);
                    await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        });
    }

    /// <summary>The environment's word: verification is on unless <c>REVOKE_BENCH_VERIFICATION=off</c>.</summary>
    public static bool Enabled => !string.Equals(Environment.GetEnvironmentVariable("REVOKE_BENCH_VERIFICATION"), "off", StringComparison.OrdinalIgnoreCase);

    public static VerificationDrain? Start(IServiceProvider services) =>
        Enabled ? new VerificationDrain(services.GetRequiredService<RevocationVerifier>()) : null;

    public int Verified => Volatile.Read(ref verified);

    public int Unverified => Volatile.Read(ref unverified);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
