using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// Which user properties an answer carries, from <c>$select</c>. Without <c>$select</c> Graph returns its default set,
/// which does not include userType, accountEnabled, employeeId or signInSessionsValidFromDateTime; the sandbox does the
/// same, so code that forgets to select them fails here as it would against Graph.
/// </summary>
internal sealed class UserSelection
{
    private static readonly FrozenDictionary<string, UserFields> Modelled = new Dictionary<string, UserFields>
    {
        ["id"] = UserFields.Id,
        ["userPrincipalName"] = UserFields.UserPrincipalName,
        ["mail"] = UserFields.Mail,
        ["employeeId"] = UserFields.EmployeeId,
        ["userType"] = UserFields.UserType,
        ["accountEnabled"] = UserFields.AccountEnabled,
        ["signInSessionsValidFromDateTime"] = UserFields.SignInSessionsValidFromDateTime,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Real Graph user properties the tenant file does not carry: selectable (answered with null or []) so that a
    // harmless $select=displayName works, while a misspelt name still gets Graph's 400.
    private static readonly string[] UnmodelledScalars =
    [
        "displayName", "givenName", "surname", "jobTitle", "department", "companyName", "officeLocation", "mobilePhone",
        "preferredLanguage", "usageLocation", "employeeType", "createdDateTime", "externalUserState",
        "onPremisesSamAccountName", "onPremisesUserPrincipalName", "onPremisesImmutableId", "onPremisesSyncEnabled",
    ];

    private static readonly string[] UnmodelledCollections = ["businessPhones", "otherMails", "proxyAddresses"];

    private static readonly FrozenDictionary<string, string> Unmodelled = UnmodelledScalars.Concat(UnmodelledCollections)
        .ToFrozenDictionary(name => name, name => name, StringComparer.OrdinalIgnoreCase);

    private readonly string[] unmodelled;

    private UserSelection(UserFields fields, string[] unmodelled)
    {
        Fields = fields;
        this.unmodelled = unmodelled;
    }

    /// <summary>Graph's default set, limited to what the sandbox models.</summary>
    public static UserSelection Default { get; } = new(UserFields.Id | UserFields.UserPrincipalName | UserFields.Mail, []);

    public UserFields Fields { get; }

    /// <summary>Null means no <c>$select</c>. The id is always included.</summary>
    public static bool TryParse(string? select, [NotNullWhen(true)] out UserSelection? selection, [NotNullWhen(false)] out GraphError? error)
    {
        selection = null;
        error = null;
        if (select is null)
        {
            selection = Default;
            return true;
        }

        var fields = UserFields.Id;
        var others = new List<string>();
        foreach (var item in select.Split(','))
        {
            var name = item.Trim();
            if (name.Length == 0)
            {
                error = GraphError.BadRequest("Invalid $select: a property name is empty.");
                return false;
            }

            if (Modelled.TryGetValue(name, out var field))
            {
                fields |= field;
            }
            else if (Unmodelled.TryGetValue(name, out var canonical))
            {
                if (!others.Contains(canonical))
                    others.Add(canonical);
            }
            else
            {
                error = GraphError.BadRequest($"Could not find a property named '{name}' on type 'microsoft.graph.user'.");
                return false;
            }
        }

        selection = new UserSelection(fields, [.. others]);
        return true;
    }

    public void WriteProperties(Utf8JsonWriter writer, SandboxUser user)
    {
        if (Has(UserFields.Id))
            writer.WriteString("id", user.Id);
        if (Has(UserFields.UserPrincipalName))
            writer.WriteString("userPrincipalName", user.UserPrincipalName);
        if (Has(UserFields.Mail))
            writer.WriteString("mail", user.Mail);
        if (Has(UserFields.EmployeeId))
            writer.WriteString("employeeId", user.EmployeeId);
        if (Has(UserFields.UserType))
            writer.WriteString("userType", user.UserType);
        if (Has(UserFields.AccountEnabled))
            writer.WriteBoolean("accountEnabled", user.AccountEnabled);
        if (Has(UserFields.SignInSessionsValidFromDateTime))
            WriteTimestamp(writer, "signInSessionsValidFromDateTime", user.SignInSessionsValidFromDateTime);

        foreach (var name in unmodelled)
        {
            if (UnmodelledCollections.Contains(name))
            {
                writer.WriteStartArray(name);
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteNull(name);
            }
        }
    }

    private bool Has(UserFields field) => (Fields & field) != 0;

    /// <summary>Graph's form: UTC, whole seconds, 'Z'. The tenant keeps full precision; only the answer is truncated.</summary>
    private static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[24];
        value.UtcDateTime.TryFormat(buffer, out var written, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(name, buffer[..written]);
    }
}
