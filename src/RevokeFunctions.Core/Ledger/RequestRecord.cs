using Microsoft.Extensions.Logging;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Ledger;

/// <summary>One request's passage through the ledger: its idempotency scope, and a <see cref="TargetRecord"/> per target.</summary>
internal sealed class RequestRecord(
    IRevocationLedger ledger,
    LedgerOptions options,
    TimeProvider time,
    ILogger logger,
    RevocationContext context,
    SourceReference source,
    bool enabled)
{
    public LedgerScope Scope { get; } = LedgerScope.For(context, source);

    public TargetRecord For(RequestedTarget target, int position) =>
        new(ledger, options, time, logger, context, source, Scope, target, position, enabled);
}
