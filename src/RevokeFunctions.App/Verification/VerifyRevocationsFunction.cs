using Microsoft.Azure.Functions.Worker;
using RevokeFunctions.Verification;

namespace RevokeFunctions.App.Verification;

/// <summary>
/// Proves revocations: every 10 seconds, each revocation due for a check in the verification outbox is read back from
/// Graph (its <c>signInSessionsValidFromDateTime</c>) in this invocation of its own, so no HTTP answer or queue
/// settlement waits for the directory's replication, and a worker that dies or is frozen after answering loses no check:
/// the outbox row stays until one is made. A timer runs as one instance at a time across the app.
/// </summary>
public sealed class VerifyRevocationsFunction(RevocationVerifier verifier)
{
    public const string Schedule = "*/10 * * * * *";

    [Function("VerifyRevocations")]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        verifier.VerifyDueAsync(cancellationToken);
}
