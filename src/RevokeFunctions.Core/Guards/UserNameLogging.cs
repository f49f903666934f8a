namespace RevokeFunctions.Revocation;

/// <summary>How user principal names appear in logs (<c>Guards:LogUserPrincipalNames</c>).</summary>
public enum UserNameLogging
{
    /// <summary>As they are: easiest to search, but logs then hold personal data.</summary>
    Clear,

    /// <summary>A stable SHA-256 prefix of the lower-cased name: correlatable, not readable.</summary>
    Hashed,
}
