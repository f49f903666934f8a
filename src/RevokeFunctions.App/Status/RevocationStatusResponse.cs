using RevokeFunctions.Ledger;

namespace RevokeFunctions.App.Status;

/// <summary>The answer to <c>GET /api/revocations/{requestId}</c>: each target the request named, as the ledger records it.</summary>
public sealed record RevocationStatusResponse(string RequestId, IReadOnlyList<TargetStatus> Targets);
