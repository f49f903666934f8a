using System.ComponentModel.DataAnnotations;

namespace RevokeFunctions.Revocation;

/// <summary>
/// Guard rails (section <c>Guards</c>), read the same way by the app and the CLI: appsettings, then environment
/// variables, so <c>Guards__ProtectedGroups__0=&lt;group id&gt;</c> works. <see cref="Guards.GuardOptionsValidator"/>
/// checks every value at start-up.
/// </summary>
public sealed class GuardOptions
{
    public const string SectionName = "Guards";

    /// <summary>A payload naming more distinct users than this is refused whole (<c>TooManyTargets</c>).</summary>
    [Range(1, 10_000)]
    public int MaxTargets { get; set; } = 100;

    /// <summary>Run everything but the Graph write; outcomes are <c>WouldRevoke</c>.</summary>
    public bool DryRun { get; set; }

    /// <summary>Object IDs or UPNs that only a person holding <c>Revocations.Protected</c> may revoke.</summary>
    public IList<string> ProtectedAccounts { get; } = [];

    /// <summary>Group object IDs whose members (transitively) are protected like <see cref="ProtectedAccounts"/>.</summary>
    public IList<string> ProtectedGroups { get; } = [];

    public StormGuardOptions StormGuard { get; } = new();

    /// <summary>
    /// Retired: the HTTP functions are anonymous to the Functions host behind App Service Authentication, so a function
    /// key authenticates nobody. Setting it true stops the app at start-up with what to do instead.
    /// </summary>
    public bool AllowFunctionKeyCallers { get; set; }

    /// <summary>Whether logs carry user principal names in clear or as a stable hash.</summary>
    public UserNameLogging LogUserPrincipalNames { get; set; } = UserNameLogging.Hashed;
}
