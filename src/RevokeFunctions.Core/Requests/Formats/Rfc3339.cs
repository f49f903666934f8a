using System.Globalization;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// RFC 3339 date-times as the sources write them: <c>2026-11-24T07:12:44Z</c>, with up to seven fraction digits
/// (Graph and Log Analytics write seven; digits past the seventh, which some forwarders write, are dropped) and <c>Z</c>
/// or a numeric offset. A time without an offset is refused: read in
/// the server's zone or as UTC, a leaver's last day could end hours early or late.
/// </summary>
internal static class Rfc3339
{
    private static readonly string[] Formats =
    [
        "yyyy'-'MM'-'dd'T'HH':'mm':'ssK",
        "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFFK",
    ];

    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (text.Length is < 20 or > 40 || !HasOffset(text))
            return false;
        var normalised = TrimFraction(text.Replace('t', 'T').Replace('z', 'Z'));
        return DateTimeOffset.TryParseExact(normalised, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    /// <summary>.NET reads at most seven fraction digits (100 ns); nanoseconds change nothing a revocation depends on.</summary>
    private static string TrimFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
            return text;
        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
            end++;
        return end - dot - 1 > 7 ? string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end)) : text;
    }

    private static bool HasOffset(string text)
    {
        if (text[^1] is 'Z' or 'z')
            return true;
        // ±hh:mm at the end.
        return text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':'
            && char.IsAsciiDigit(text[^5]) && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1]);
    }
}
