using RevokeFunctions.Requests;

namespace RevokeFunctions.Revocation;

/// <summary>What the pipeline did with one request: refused as a whole, or one result per distinct target user.</summary>
public sealed record RevocationResult(string RequestId, PayloadError? Error, SourceReference? Source, IReadOnlyList<TargetResult> Targets)
{
    public static RevocationResult Invalid(string requestId, PayloadError error) => new(requestId, error, null, []);

    public bool AllSucceeded => Error is null && Targets.All(t => t.IsSuccess);

    /// <summary>Some outcome is not in the ledger yet (<see cref="TargetResult.LedgerPending"/>).</summary>
    public bool LedgerPending => Targets.Any(t => t.LedgerPending);
}
