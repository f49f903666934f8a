using System.Text;

namespace RevokeFunctions.Infra.Tests;

/// <summary>Just enough of the ARM template expression language to read what Bicep emits.</summary>
public static class ArmExpression
{
    /// <summary>"[expr]" to "expr"; null when the string is a literal, not an expression.</summary>
    public static string? Body(string value) =>
        value.Length >= 2 && value[0] == '[' && value[^1] == ']' && !value.StartsWith("[[", StringComparison.Ordinal)
            ? value[1..^1]
            : null;

    /// <summary>The literal text of a quoted ARM string ('it''s' to it's); null when it is not one.</summary>
    public static string? StringLiteral(string expression)
    {
        var e = expression.Trim();
        if (e.Length < 2 || e[0] != '\'' || e[^1] != '\'')
            return null;
        var inner = e[1..^1];
        // A lone quote inside would mean this was two literals joined by something else.
        return inner.Replace("''", string.Empty, StringComparison.Ordinal).Contains('\'', StringComparison.Ordinal)
            ? null
            : inner.Replace("''", "'", StringComparison.Ordinal);
    }

    /// <summary>The arguments of every call of <paramref name="function"/> in the expression, each as raw text.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Calls(string expression, string function)
    {
        var calls = new List<IReadOnlyList<string>>();
        var needle = function + "(";
        var i = 0;
        while (i < expression.Length)
        {
            if (expression[i] == '\'')
            {
                i = SkipString(expression, i);
                continue;
            }
            if (string.CompareOrdinal(expression, i, needle, 0, needle.Length) == 0
                && (i == 0 || !char.IsLetterOrDigit(expression[i - 1])))
            {
                calls.Add(Arguments(expression, i + needle.Length, out _));
            }
            i++;
        }
        return calls;
    }

    /// <summary>Name/value pairs of every createObject(...) in the expression, values as raw expression text.</summary>
    public static IReadOnlyDictionary<string, string> CreateObjectPairs(string expression)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var args in Calls(expression, "createObject"))
        {
            if (args.Count % 2 != 0)
                throw new FormatException($"createObject with an odd number of arguments in {expression}");
            for (var k = 0; k < args.Count; k += 2)
            {
                var name = StringLiteral(args[k])
                    ?? throw new FormatException($"createObject key {args[k]} is not a literal in {expression}");
                pairs.Add(name, args[k + 1]);
            }
        }
        return pairs;
    }

    private static List<string> Arguments(string expression, int start, out int end)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var depth = 0;
        var i = start;
        for (; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\'')
            {
                var close = SkipString(expression, i);
                current.Append(expression, i, close - i);
                i = close - 1;
                continue;
            }
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                if (depth == 0)
                    break;
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                args.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        var last = current.ToString().Trim();
        if (last.Length > 0 || args.Count > 0)
            args.Add(last);
        end = i;
        return args;
    }

    /// <summary>Index just past the quoted string starting at <paramref name="start"/> ('' is an escaped quote).</summary>
    private static int SkipString(string expression, int start)
    {
        var i = start + 1;
        while (i < expression.Length)
        {
            if (expression[i] == '\'')
            {
                if (i + 1 < expression.Length && expression[i + 1] == '\'')
                {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }
}
