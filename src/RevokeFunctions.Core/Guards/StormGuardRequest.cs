namespace RevokeFunctions.Guards;

/// <summary>Users about to be revoked for one request.</summary>
/// <param name="UserIds">Canonical object IDs, in payload order: the first ones are admitted when the limit bites.</param>
/// <param name="RequestId">For the logs and the trip record.</param>
/// <param name="SourceKind">The payload format, for the trip metric.</param>
/// <param name="DryRun">Answer as if, but count nothing.</param>
public sealed record StormGuardRequest(RequestOrigin Origin, IReadOnlyList<string> UserIds, string RequestId, string SourceKind, bool DryRun = false);
