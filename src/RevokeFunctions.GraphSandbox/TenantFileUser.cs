namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// One user of the tenant file. Everything is nullable so that a missing member is reported by name instead of
/// surfacing as a default value.
/// </summary>
internal sealed class TenantFileUser
{
    public string? Id { get; init; }

    public string? UserPrincipalName { get; init; }

    public string? Mail { get; init; }

    public string? EmployeeId { get; init; }

    public string? UserType { get; init; }

    public bool? AccountEnabled { get; init; }

    public DateTimeOffset? SignInSessionsValidFromDateTime { get; init; }

    public List<string>? Groups { get; init; }

    /// <summary>Optional: the id of the user's manager, another user of the file.</summary>
    public string? Manager { get; init; }
}
