namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// One directory user as the sandbox keeps it. Immutable: the tenant swaps whole records, so a reader never sees a
/// half-applied change.
/// </summary>
public sealed record SandboxUser(
    string Id,
    string UserPrincipalName,
    string? Mail,
    string? EmployeeId,
    string UserType,
    bool AccountEnabled,
    DateTimeOffset SignInSessionsValidFromDateTime,
    IReadOnlyList<string> Groups);
