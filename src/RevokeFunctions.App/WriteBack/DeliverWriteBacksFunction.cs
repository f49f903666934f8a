using Microsoft.Azure.Functions.Worker;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.App.WriteBack;

/// <summary>
/// Delivers the write-back outbox: every 15 seconds, what the HTTP function and the queue handler recorded when they
/// decided a request (comments on the source, the webhook, manager mail) is sent in this invocation of its own, so no
/// answer or settlement waits for a source, and a worker frozen after an HTTP answer loses nothing. A timer trigger
/// needs no extension beyond the one the purge uses, and runs as one instance at a time across the app.
/// </summary>
public sealed class DeliverWriteBacksFunction(WriteBackDelivery delivery)
{
    public const string Schedule = "*/15 * * * * *";

    [Function("DeliverWriteBacks")]
    public Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        delivery.DeliverDueAsync(cancellationToken);
}
