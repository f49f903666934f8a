using System.Text;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// Free text a format keeps for the audit trail (titles, reasons) and source IDs. Alert descriptions can run to
/// kilobytes and carry attacker-chosen text, so what is kept is short and on one line.
/// </summary>
internal static class FreeText
{
    public const int MaxTextLength = 256;

    /// <summary>Source IDs longer than this are not kept: cutting one could make two different items look the same.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Portal links and ARM resource IDs run longer than IDs (a Sentinel incident URL is about 300 characters).</summary>
    public const int MaxLinkLength = 2048;

    /// <summary>Control and line-break characters become spaces; the result is trimmed and cut at <see cref="MaxTextLength"/>.</summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var builder = new StringBuilder(Math.Min(value.Length, MaxTextLength + 1));
        foreach (var c in value)
        {
            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
            if (builder.Length > MaxTextLength)
                break;
        }
        var text = builder.ToString().Trim();
        if (text.Length <= MaxTextLength)
            return text;
        var cut = char.IsHighSurrogate(text[MaxTextLength - 2]) ? MaxTextLength - 2 : MaxTextLength - 1;
        return text[..cut] + "…";
    }

    /// <summary>A source's own ID, kept only whole: null when it is too long or holds control characters.</summary>
    public static string? Id(string? value) => Whole(value, MaxIdLength);

    /// <summary>A link or resource ID, kept only whole, like <see cref="Id"/>.</summary>
    public static string? Link(string? value) => Whole(value, MaxLinkLength);

    private static string? Whole(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
            return null;
        foreach (var c in value)
        {
            if (char.IsControl(c))
                return null;
        }
        return value;
    }
}
