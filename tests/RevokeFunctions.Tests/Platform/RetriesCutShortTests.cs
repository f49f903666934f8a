using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RevokeFunctions.Hosting;
using RevokeFunctions.Intake;
using RevokeFunctions.Ledger;
using RevokeFunctions.Verification;

namespace RevokeFunctions.Tests.Platform;

/// <summary>
/// Table storage refusing a few tries and the last one cut short: Azure.Core then reports an
/// <see cref="AggregateException"/> of the refusals with a cancellation as its last attempt. Seen in CI, where it escaped
/// the queue handler: the table's creation (its own timeout) was cancelled mid-try before the caller's wait gave up.
/// Here the last try is cut short by the transport itself (as Azure.Core's network timeout does), so nothing depends on
/// which of two timers fires first. That is still the store not answering, so every store in the ledger's table must
/// turn it into its own "unavailable" exception, as it does a plain timeout.
/// </summary>
public sealed class RetriesCutShortTests
{
    private static readonly IOptions<LedgerOptions> Ledger = Options.Create(new LedgerOptions { OperationTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>Azure.Core's transport seam: refuses <paramref name="refusals"/> tries, then cuts every later one short.</summary>
    private sealed class RefusingThenSilentTransport(int refusals) : HttpPipelineTransport
    {
        private int tries;

        public override Request CreateRequest() => HttpClientTransport.Shared.CreateRequest();

        public override void Process(HttpMessage message) => ProcessAsync(message).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(HttpMessage message) =>
            Interlocked.Increment(ref tries) <= refusals
                ? throw new Azure.RequestFailedException("Connection refused (127.0.0.1:10002)")
                : throw new TaskCanceledException("The operation was canceled.");
    }

    private static TableServiceClient Storage() => new("UseDevelopmentStorage=true", new TableClientOptions
    {
        Transport = new RefusingThenSilentTransport(refusals: 3),
        Retry = { Mode = RetryMode.Fixed, Delay = TimeSpan.FromMilliseconds(1), MaxRetries = 3 },
    });

    [Fact]
    public void Refused_tries_ended_by_a_cancelled_last_try_are_a_storage_failure_described_by_the_refusal()
    {
        var cutShort = new AggregateException(
            new Azure.RequestFailedException("Connection refused"), new Azure.RequestFailedException("Connection refused"), new TaskCanceledException());

        Assert.True(DependencyFailure.IsStorageFailure(cutShort));
        Assert.Equal("no answer (RequestFailedException) after 3 tries", DependencyFailure.Describe(cutShort));
        // Only cancellations say nothing about the store: the caller may have given up.
        Assert.False(DependencyFailure.IsStorageFailure(new AggregateException(new TaskCanceledException())));
    }

    [Fact]
    public async Task The_ledger_says_it_is_unavailable()
    {
        var ledger = new TableRevocationLedger(Storage(), Ledger, TimeProvider.System, NullLogger<TableRevocationLedger>.Instance);

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.FindAsync(new LedgerKey("s-x", "y"), CancellationToken.None));
    }

    [Fact]
    public async Task The_intake_store_says_the_ledger_is_unavailable()
    {
        var intake = new TableIntakeStore(Storage(), Ledger);

        await Assert.ThrowsAsync<LedgerUnavailableException>(() => intake.FindAsync("request-1", CancellationToken.None));
    }

    [Fact]
    public async Task The_verification_outbox_says_its_store_is_unavailable()
    {
        var outbox = new VerificationOutbox(Storage(), Ledger, TimeProvider.System);

        var failure = await Assert.ThrowsAsync<VerificationStoreException>(() => outbox.ListDueAsync(10, CancellationToken.None));
        Assert.Contains("after 4 tries", failure.Message, StringComparison.Ordinal);
    }
}
