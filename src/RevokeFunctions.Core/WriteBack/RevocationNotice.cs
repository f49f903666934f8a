namespace RevokeFunctions.WriteBack;

/// <summary>What every reader of a result must know about what revocation does and does not do.</summary>
public static class RevocationNotice
{
    public const string Text =
        "Revocation invalidates the user's refresh tokens and session cookies. Apps that support Continuous Access "
        + "Evaluation stop within minutes (up to about 15 minutes for Exchange Online, SharePoint Online and Teams); "
        + "access tokens already issued to other apps stay valid until they expire (up to an hour). "
        + "Disable the account for an immediate stop.";
}
