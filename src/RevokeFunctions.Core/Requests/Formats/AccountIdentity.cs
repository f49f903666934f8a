namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// Picks the one identifier an account in an alert is revoked by: the Entra object ID when the source gives one, else
/// the user principal name. Only the strongest identifier present is used, so a stale UPN beside a good object ID cannot
/// turn one user into "ambiguous". A present but malformed identifier fails the whole payload (rule: an invalid
/// payload revokes nobody); an account with no identifier at all is skipped, because sources routinely map on-premises
/// or display-only accounts that Entra cannot resolve.
/// </summary>
internal static class AccountIdentity
{
    /// <returns>The identifier and the text it came from; null when there is none, or when <paramref name="reader"/> failed.</returns>
    public static (string Given, UserIdentifier Identifier)? Pick(
        MemberReader reader, string? objectId, string objectIdPath, string? address, string addressPath)
    {
        if (objectId is not null)
        {
            if (UserIdentifier.TryCreateObjectId(objectId, out var id, out var problem))
                return (objectId, id);
            reader.Fail(PayloadErrorKind.InvalidUserIdentifier, $"The user object ID at {objectIdPath} {problem}.", objectIdPath);
            return null;
        }
        if (address is not null)
        {
            if (UserIdentifier.TryCreateAddress(address, out var upn, out var problem))
                return (address, upn);
            reader.Fail(PayloadErrorKind.InvalidUserIdentifier, $"The user principal name at {addressPath} {problem}.", addressPath);
        }
        return null;
    }

    /// <summary>
    /// Sentinel splits a UPN into the account name and the UPN suffix; both are needed. An account name alone is a
    /// sAMAccountName, which never picks a target.
    /// </summary>
    public static string? JoinUpn(string? accountName, string? upnSuffix) =>
        accountName is not null && upnSuffix is not null ? accountName + "@" + upnSuffix : null;
}
