namespace RevokeFunctions.Revocation;

/// <summary>
/// How many distinct users automated sources may have revoked within a sliding window (section
/// <c>Guards:StormGuard</c>). People are not counted.
/// </summary>
public sealed class StormGuardOptions
{
    /// <summary>Ceiling of either limit: the window's user list must fit one Table storage property (32K characters).</summary>
    public const int MaxLimit = 500;

    /// <summary>Distinct users alerts and other automated sources may revoke per window.</summary>
    public int MaxUsers { get; set; } = 25;

    /// <summary>The sliding window the counts cover.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct users HR leaver messages may revoke per window; separate from <see cref="MaxUsers"/>.</summary>
    public int LeaverMaxUsers { get; set; } = 200;

    /// <summary>The table (in the ledger's storage account) that holds the counts shared by every instance.</summary>
    public string TableName { get; set; } = "StormGuard";
}
