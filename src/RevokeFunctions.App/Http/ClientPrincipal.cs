using System.Buffers.Text;
using System.Text.Json;

namespace RevokeFunctions.App.Http;

/// <summary>
/// The caller as App Service Authentication (Entra ID) vouches for it in <c>X-MS-CLIENT-PRINCIPAL</c>: base64 of
/// <c>{"auth_typ", "name_typ", "role_typ", "claims": [{"typ", "val"}]}</c>. App Service removes any such header a
/// client sends and sets its own, so the header is only as trustworthy as that front door: it is read only while the
/// platform says authentication is on (<see cref="PlatformAuthentication"/>). The raw header is never kept, so it
/// cannot end up in a log.
/// </summary>
public sealed record ClientPrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>Real principals are a few KiB (group overage aside); anything far larger is refused unread.</summary>
    public const int MaxHeaderLength = 64 * 1024;

    private const string ObjectIdClaimUri = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private const string RoleClaimUri = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private const string NameClaimUri = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

    private const string ScopeClaimUri = "http://schemas.microsoft.com/identity/claims/scope";

    private ClientPrincipal(string? identityProvider, string? objectId, string? appId, string? name, IReadOnlySet<string> roles, bool isUser)
    {
        IdentityProvider = identityProvider;
        ObjectId = objectId;
        AppId = appId;
        Name = name;
        Roles = roles;
        IsUser = isUser;
    }

    /// <summary>
    /// The token was issued to a signed-in user (delegated: it has <c>scp</c>, or <c>idtyp</c> is <c>user</c>), not to
    /// an application acting as itself. Only such a caller is a person; an app-only token (a Logic App's managed
    /// identity, a daemon) is automation whatever roles it holds.
    /// </summary>
    public bool IsUser { get; }

    /// <summary><c>auth_typ</c>, e.g. <c>aad</c>.</summary>
    public string? IdentityProvider { get; }

    /// <summary>The user's or service principal's object ID (<c>oid</c>), lower-case "D" form.</summary>
    public string? ObjectId { get; }

    /// <summary>The calling application's client ID (<c>appid</c> in v1 tokens, <c>azp</c> in v2).</summary>
    public string? AppId { get; }

    /// <summary>The name claim <c>name_typ</c> points at, else <c>name</c> or <c>preferred_username</c>.</summary>
    public string? Name { get; }

    /// <summary>App roles: the <c>roles</c> claims and those of the type <c>role_typ</c> names; compared case-sensitively like Entra.</summary>
    public IReadOnlySet<string> Roles { get; }

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>
    /// Parses the header's value. Anything that is not a well-formed principal naming an object ID or an app ID is
    /// null ("no principal"): bad base64, bad JSON, wrong types, duplicate members, oversize.
    /// </summary>
    public static ClientPrincipal? Parse(string? headerValue)
    {
        if (string.IsNullOrWhiteSpace(headerValue) || headerValue.Length > MaxHeaderLength)
            return null;
        var json = DecodeBase64(headerValue.Trim());
        if (json is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                MaxDepth = 8,
                AllowDuplicateProperties = false,
                CommentHandling = JsonCommentHandling.Disallow,
            });
            return FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ClientPrincipal? FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("claims"u8, out var claims) || claims.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var authType = OptionalString(root, "auth_typ"u8, out var ok1);
        var nameType = OptionalString(root, "name_typ"u8, out var ok2);
        var roleType = OptionalString(root, "role_typ"u8, out var ok3);
        if (!(ok1 && ok2 && ok3))
            return null;

        string? objectId = null, appId = null, azp = null, typedName = null, name = null, preferredName = null, idtyp = null;
        var hasScope = false;
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in claims.EnumerateArray())
        {
            if (claim.ValueKind != JsonValueKind.Object
                || !claim.TryGetProperty("typ"u8, out var typElement) || typElement.ValueKind != JsonValueKind.String
                || !claim.TryGetProperty("val"u8, out var valElement) || valElement.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var type = typElement.GetString()!;
            var value = valElement.GetString()!;
            if (type is "roles" or "role" or RoleClaimUri || (roleType is not null && type == roleType))
                roles.Add(value);
            if (nameType is not null && type == nameType)
                typedName ??= value;
            switch (type)
            {
                case "oid" or ObjectIdClaimUri:
                    objectId ??= value;
                    break;
                case "appid":
                    appId ??= value;
                    break;
                case "azp":
                    azp ??= value;
                    break;
                case "name" or NameClaimUri:
                    name ??= value;
                    break;
                case "preferred_username":
                    preferredName ??= value;
                    break;
                case "scp" or ScopeClaimUri:
                    hasScope |= !string.IsNullOrWhiteSpace(value);
                    break;
                case "idtyp":
                    idtyp ??= value;
                    break;
            }
        }

        var oid = Guid.TryParse(objectId, out var parsedOid) && parsedOid != Guid.Empty ? parsedOid.ToString("D") : null;
        var client = Guid.TryParse(appId ?? azp, out var parsedApp) && parsedApp != Guid.Empty ? parsedApp.ToString("D") : null;
        if (oid is null && client is null)
            return null;
        // idtyp, where the app registration asks for it, is the token's own word; scp only appears in delegated tokens.
        var isUser = idtyp is null ? hasScope : string.Equals(idtyp, "user", StringComparison.Ordinal);
        return new ClientPrincipal(authType, oid, client, Clean(typedName ?? name ?? preferredName), roles, isUser);
    }

    private static string? OptionalString(JsonElement root, ReadOnlySpan<byte> name, out bool ok)
    {
        ok = true;
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            ok = false;
            return null;
        }
        return value.GetString();
    }

    private static byte[]? DecodeBase64(string value)
    {
        // App Service sends standard base64; base64url (no padding) is accepted too, as some proxies re-encode it.
        var standard = value.Replace('-', '+').Replace('_', '/');
        standard = (standard.Length % 4) switch
        {
            2 => standard + "==",
            3 => standard + "=",
            _ => standard,
        };
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(standard.Length)];
        return Convert.TryFromBase64String(standard, buffer, out var written) ? buffer[..written] : null;
    }

    /// <summary>A name is shown in audit records and problem details: no control characters, bounded length.</summary>
    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var cleaned = new string([.. value.Where(c => !char.IsControl(c))]).Trim();
        return cleaned.Length > 256 ? cleaned[..256] : cleaned.Length == 0 ? null : cleaned;
    }
}
