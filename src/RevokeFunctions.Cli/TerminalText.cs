using System.Globalization;
using System.Text;

namespace RevokeFunctions.Cli;

/// <summary>
/// Text from a dead letter made safe to print to a terminal. Payloads come from SIEMs and HR systems and may carry
/// escape sequences that would rewrite what the operator sees; every control character is shown as <c>\u001B</c> etc.
/// </summary>
internal static class TerminalText
{
    public static string Clean(string? text, bool keepNewLines = false)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var unsafeChar = (char.IsControl(c) && !(keepNewLines && c is '\n' or '\t'))
                || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
            if (!unsafeChar)
            {
                clean?.Append(c);
                continue;
            }
            clean ??= new StringBuilder(text, 0, i, text.Length + 16);
            clean.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }
        return clean?.ToString() ?? text;
    }

    /// <summary>One line of at most <paramref name="max"/> characters, cleaned.</summary>
    public static string Line(string? text, int max)
    {
        var clean = Clean(text);
        return clean.Length <= max ? clean : clean[..(max - 1)] + "…";
    }
}
