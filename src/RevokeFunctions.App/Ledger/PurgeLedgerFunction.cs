using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;

namespace RevokeFunctions.App.Ledger;

/// <summary>
/// Retention of the revocation ledger: Table storage has no lifecycle rules, so once a day rows and links not written
/// for <see cref="LedgerOptions.Retention"/> are deleted. A purged repeat is still caught by Graph's own timestamp.
/// </summary>
public sealed partial class PurgeLedgerFunction(
    IRevocationLedger ledger,
    IOptions<LedgerOptions> options,
    TimeProvider time,
    ILogger<PurgeLedgerFunction> logger)
{
    /// <summary>03:17 UTC daily: off the hour, when few alerts arrive.</summary>
    public const string Schedule = "0 17 3 * * *";

    [Function("PurgeLedger")]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (!ledger.IsConfigured)
            return;
        var retention = options.Value.Retention;
        var cutoff = time.GetUtcNow() - retention;
        var deleted = await ledger.PurgeAsync(cutoff, cancellationToken);
        LogPurged(logger, deleted, cutoff, retention.Days);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information,
        Message = "Revocation ledger purge: {Deleted} rows and links last written before {Cutoff} deleted (retention {RetentionDays} days)")]
    private static partial void LogPurged(ILogger logger, int deleted, DateTimeOffset cutoff, int retentionDays);
}
