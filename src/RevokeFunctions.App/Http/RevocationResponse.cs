using RevokeFunctions.Reporting;

namespace RevokeFunctions.App.Http;

/// <summary>The answer to a revocation request: one result per distinct target user.</summary>
public sealed record RevocationResponse(string RequestId, IReadOnlyList<TargetReport> Results, string Notice);
