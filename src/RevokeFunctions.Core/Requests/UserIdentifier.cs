using System.Globalization;

namespace RevokeFunctions.Requests;

/// <summary>
/// A validated, normalised user identifier. Only values that pass <see cref="TryCreate"/> ever reach Graph, so a path
/// segment or an OData literal built from one cannot change the shape of the request.
/// </summary>
public sealed record UserIdentifier
{
    /// <summary>Entra caps the UPN prefix at 64 characters and the whole UPN at 113; mail at 254 (RFC 5321).</summary>
    public const int MaxAddressLength = 254;
    public const int MaxLocalPartLength = 64;
    public const int MaxEmployeeIdLength = 16;

    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    private UserIdentifier(UserIdentifierKind kind, string value)
    {
        Kind = kind;
        Value = value;
    }

    public UserIdentifierKind Kind { get; }

    /// <summary>Normalised: object IDs lower-case "D" format; addresses with an IDNA ASCII domain; employee IDs as given.</summary>
    public string Value { get; }

    public static UserIdentifier ObjectId(Guid id) => new(UserIdentifierKind.ObjectId, id.ToString("D"));

    /// <summary>Reads a user value that may be an object ID or an address (UPN or mail).</summary>
    public static bool TryCreate(string? raw, out UserIdentifier identifier, out string problem)
    {
        identifier = null!;
        if (!TryCheckCommon(raw, out problem))
            return false;

        if (TryParseObjectId(raw!, out var id, out problem))
        {
            identifier = ObjectId(id);
            return true;
        }
        if (problem.Length > 0)
            return false;

        return TryCreateAddress(raw!, out identifier, out problem);
    }

    /// <summary>Reads a value that must be an object ID (aadUserId, userId, azureAdUserId).</summary>
    public static bool TryCreateObjectId(string? raw, out UserIdentifier identifier, out string problem)
    {
        identifier = null!;
        if (!TryCheckCommon(raw, out problem))
            return false;
        if (TryParseObjectId(raw!, out var id, out problem))
        {
            identifier = ObjectId(id);
            return true;
        }
        if (problem.Length == 0)
            problem = "is not an object ID (a GUID)";
        return false;
    }

    /// <summary>Reads a value that must be an address: a UPN or a mail address.</summary>
    public static bool TryCreateAddress(string? raw, out UserIdentifier identifier, out string problem)
    {
        identifier = null!;
        if (!TryCheckCommon(raw, out problem))
            return false;

        var value = raw!;
        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || at == value.Length - 1)
        {
            problem = "is neither an object ID (GUID) nor a user principal name or mail address (local@domain)";
            return false;
        }
        var local = value[..at];
        var domain = value[(at + 1)..];
        if (local.Length > MaxLocalPartLength)
        {
            problem = $"has a local part longer than {MaxLocalPartLength} characters";
            return false;
        }
        foreach (var c in local)
        {
            if (!IsAllowedLocalChar(c))
            {
                problem = $"contains the character {Describe(c)}, which a user principal name or mail address here may not hold";
                return false;
            }
        }
        if (local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            problem = "has a misplaced '.' in its local part";
            return false;
        }

        string asciiDomain;
        try
        {
            asciiDomain = Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            problem = "has a domain that is not a valid host name";
            return false;
        }
        if (!IsHostName(asciiDomain))
        {
            problem = "has a domain that is not a valid host name";
            return false;
        }

        var normalised = local + "@" + asciiDomain.ToLowerInvariant();
        if (normalised.Length > MaxAddressLength)
        {
            problem = $"is longer than {MaxAddressLength} characters";
            return false;
        }
        identifier = new UserIdentifier(UserIdentifierKind.UserPrincipalName, normalised);
        return true;
    }

    /// <summary>Reads an HR employee ID; leading zeros are significant and kept.</summary>
    public static bool TryCreateEmployeeId(string? raw, out UserIdentifier identifier, out string problem)
    {
        identifier = null!;
        if (!TryCheckCommon(raw, out problem))
            return false;
        var value = raw!;
        if (value.Length > MaxEmployeeIdLength)
        {
            problem = $"is longer than {MaxEmployeeIdLength} characters (Graph's employeeId limit)";
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problem = $"contains the character {Describe(c)}; an employee ID here holds letters, digits, '-', '_' and '.'";
                return false;
            }
        }
        identifier = new UserIdentifier(UserIdentifierKind.EmployeeId, value);
        return true;
    }

    public override string ToString() => $"{Kind}:{Value}";

    private static bool TryCheckCommon(string? raw, out string problem)
    {
        problem = "";
        if (string.IsNullOrEmpty(raw))
        {
            problem = "is empty";
            return false;
        }
        if (raw.Length > MaxAddressLength)
        {
            problem = $"is {raw.Length} characters long; at most {MaxAddressLength} are allowed";
            return false;
        }
        foreach (var c in raw)
        {
            var category = char.GetUnicodeCategory(c);
            if (char.IsControl(c) || char.IsWhiteSpace(c) || category is UnicodeCategory.Format
                    or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                problem = $"contains the control, blank or invisible character {Describe(c)}";
                return false;
            }
        }
        return true;
    }

    private static bool TryParseObjectId(string value, out Guid id, out string problem)
    {
        problem = "";
        id = Guid.Empty;
        var looksLikeGuid = value.Length is 36 or 38 && !value.Contains('@', StringComparison.Ordinal);
        if (!looksLikeGuid)
            return false;
        if (!Guid.TryParseExact(value, "D", out id) && !Guid.TryParseExact(value, "B", out id))
        {
            problem = "looks like an object ID but is not a well-formed GUID";
            return false;
        }
        if (id == Guid.Empty)
        {
            problem = "is the nil GUID, which names no user";
            return false;
        }
        return true;
    }

    // Entra allows A-Z a-z 0-9 ' . - _ ! # ^ ~ in a UPN prefix; mail adds a few RFC 5322 atext characters.
    // Path and query syntax (/ \ ? % & = $ ( ) , ; : < > [ ] " *) is never allowed, so a value cannot leave its segment.
    private static bool IsAllowedLocalChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '\'' or '.' or '-' or '_' or '!' or '#' or '^' or '~' or '+';

    private static bool IsHostName(string domain)
    {
        if (domain.Length is 0 or > 253 || !domain.Contains('.', StringComparison.Ordinal))
            return false;
        foreach (var label in domain.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
                return false;
            foreach (var c in label)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
                    return false;
            }
        }
        return true;
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || c > 0x7E ? $"U+{(int)c:X4}" : $"'{c}'";
}
