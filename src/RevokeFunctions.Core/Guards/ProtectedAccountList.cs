using RevokeFunctions.Requests;
using RevokeFunctions.Users;

namespace RevokeFunctions.Guards;

/// <summary>
/// <c>Guards:ProtectedAccounts</c> as sets: object IDs in lower-case "D" form, UPNs with their domain in IDNA ASCII
/// form and compared case-insensitively, the way Entra compares them.
/// </summary>
public sealed class ProtectedAccountList
{
    private readonly HashSet<string> ids = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);

    public ProtectedAccountList(IEnumerable<string> configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        foreach (var value in configured)
        {
            // The validator has already refused anything that does not normalise; skip rather than throw here.
            if (!TryNormalize(value, out var identifier))
                continue;
            (identifier.Kind == UserIdentifierKind.ObjectId ? ids : names).Add(identifier.Value);
        }
    }

    public bool IsEmpty => ids.Count == 0 && names.Count == 0;

    /// <summary>Whether the user's object ID or UPN is on the list.</summary>
    public bool Contains(DirectoryUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (ids.Contains(user.Id))
            return true;
        if (user.UserPrincipalName is not { } upn)
            return false;
        return names.Contains(UserIdentifier.TryCreateAddress(upn, out var address, out _) ? address.Value : upn);
    }

    /// <summary>An object ID or a UPN, in the form <see cref="Contains"/> compares.</summary>
    public static bool TryNormalize(string? value, out UserIdentifier identifier)
    {
        identifier = null!;
        var trimmed = value?.Trim();
        if (Guid.TryParse(trimmed, out var id))
        {
            if (id == Guid.Empty)
                return false;
            identifier = UserIdentifier.ObjectId(id);
            return true;
        }
        return UserIdentifier.TryCreateAddress(trimmed, out identifier, out _);
    }
}
