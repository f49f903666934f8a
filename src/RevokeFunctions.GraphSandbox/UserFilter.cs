using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// The one <c>$filter</c> shape the app sends: <c>&lt;property&gt; eq '&lt;literal&gt;'</c>, with <c>''</c> standing for
/// one quote inside the literal. The whole text must be exactly one such clause; anything after the closing quote
/// (<c>or 1 eq 1</c>, a second clause, a stray quote) is refused, so a filter can never match more than its literal.
/// </summary>
internal sealed record UserFilter(UserFilterProperty Property, string Value)
{
    // Graph reads property names in $filter case-insensitively.
    private static readonly FrozenDictionary<string, UserFilterProperty> Properties = new Dictionary<string, UserFilterProperty>
    {
        ["id"] = UserFilterProperty.Id,
        ["userPrincipalName"] = UserFilterProperty.UserPrincipalName,
        ["mail"] = UserFilterProperty.Mail,
        ["employeeId"] = UserFilterProperty.EmployeeId,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private const string Expected = "Only a single clause of the form <property> eq '<value>' on id, userPrincipalName, mail or employeeId is supported.";

    public static bool TryParse(string text, [NotNullWhen(true)] out UserFilter? filter, [NotNullWhen(false)] out GraphError? error)
    {
        filter = null;
        var position = SkipSpaces(text, 0);
        var propertyName = ReadWord(text, ref position);
        if (propertyName.Length == 0)
            return Fail(GraphError.BadRequest($"Invalid filter clause: expected a property name at position {position}."), out error);
        if (!Properties.TryGetValue(propertyName, out var property))
            return Fail(GraphError.UnsupportedQuery($"Filtering on '{propertyName}' is not supported. {Expected}"), out error);

        var afterProperty = position;
        position = SkipSpaces(text, position);
        var operatorName = position > afterProperty ? ReadWord(text, ref position) : "";
        if (!operatorName.Equals("eq", StringComparison.OrdinalIgnoreCase))
            return Fail(GraphError.UnsupportedQuery($"Unsupported filter operator near position {afterProperty}. {Expected}"), out error);

        var afterOperator = position;
        position = SkipSpaces(text, position);
        if (position == afterOperator || position >= text.Length || text[position] != '\'')
            return Fail(GraphError.BadRequest($"Invalid filter clause: expected a quoted string literal at position {position}."), out error);
        if (!TryReadLiteral(text, ref position, out var value))
            return Fail(GraphError.BadRequest("Invalid filter clause: the string literal is not terminated."), out error);

        if (SkipSpaces(text, position) != text.Length)
            return Fail(GraphError.UnsupportedQuery($"Unexpected text after the clause at position {position}. {Expected}"), out error);
        if (property == UserFilterProperty.Id && !Guid.TryParse(value, out _))
            return Fail(GraphError.BadRequest($"Invalid object identifier '{value}'."), out error);

        filter = new UserFilter(property, value);
        error = null;
        return true;
    }

    public IReadOnlyList<SandboxUser> Apply(SandboxTenant tenant) => Property switch
    {
        UserFilterProperty.Id => AtMostOne(tenant.FindById(Value)),
        UserFilterProperty.UserPrincipalName => AtMostOne(tenant.FindByUserPrincipalName(Value)),
        UserFilterProperty.Mail => tenant.FindByMail(Value),
        UserFilterProperty.EmployeeId => tenant.FindByEmployeeId(Value),
        _ => throw new InvalidOperationException($"Unknown filter property {Property}."),
    };

    private static IReadOnlyList<SandboxUser> AtMostOne(SandboxUser? user) => user is null ? [] : [user];

    private static bool TryReadLiteral(string text, ref int position, out string value)
    {
        var literal = new StringBuilder();
        for (var i = position + 1; i < text.Length; i++)
        {
            if (text[i] != '\'')
            {
                literal.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                literal.Append('\'');
                i++;
            }
            else
            {
                position = i + 1;
                value = literal.ToString();
                return true;
            }
        }

        value = "";
        return false;
    }

    private static string ReadWord(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiLetter(text[position]))
            position++;
        return text[start..position];
    }

    private static int SkipSpaces(string text, int position)
    {
        while (position < text.Length && text[position] == ' ')
            position++;
        return position;
    }

    private static bool Fail(GraphError failure, out GraphError error)
    {
        error = failure;
        return false;
    }
}
