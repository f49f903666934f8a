namespace RevokeFunctions.Leavers;

/// <summary>What happens to an HR leaver besides the revocation (section <c>Leavers</c>).</summary>
public sealed class LeaverOptions
{
    public const string SectionName = "Leavers";

    /// <summary>
    /// Also disable the account (<c>accountEnabled=false</c>) after revoking, because a leaver whose account still
    /// works can sign in again. Off by default: it needs the extra Graph permission <c>User.EnableDisableAccount.All</c>.
    /// </summary>
    public bool DisableAccount { get; set; }
}
