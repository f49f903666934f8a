using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RevokeFunctions.Tests.Guards;

/// <summary>
/// Everything a body says, as text: the raw bytes (leniently decoded) and, when it is JSON, every string value and
/// property name decoded, recursively into strings that hold JSON themselves (Sentinel's <c>Entities</c>). A user is
/// named by a body when its object ID, UPN or mail appears in that text, case-insensitively, also with the domain in
/// Unicode form for an IDNA (<c>xn--</c>) address, or as the separate local part and domain values Sentinel uses.
/// </summary>
public sealed class NamedInInput
{
    private static readonly IdnMapping Idn = new();
    private readonly string text;
    private readonly HashSet<string> values = new(StringComparer.OrdinalIgnoreCase);

    public NamedInInput(byte[] body)
    {
        var strings = new List<string>();
        Collect(body, 0, strings);
        values.UnionWith(strings);
        // One text to search: the raw body and every decoded string, so an escaped identifier still counts as named.
        // Lower-cased once so each lookup is an ordinal (vectorised) search.
        text = (Encoding.UTF8.GetString(body) + "\n" + string.Join("\n", strings)).ToLowerInvariant();
    }

    public bool Names(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return false;
        if (HasValue(value) || Contains(value))
            return true;
        var at = value.LastIndexOf('@');
        if (at <= 0)
            return false;
        var local = value[..at];
        var domain = value[(at + 1)..];
        var unicodeDomain = domain;
        try
        {
            unicodeDomain = Idn.GetUnicode(domain);
        }
        catch (ArgumentException)
        {
        }
        if (Contains(local + "@" + unicodeDomain))
            return true;
        return HasValue(local) && (HasValue(domain) || HasValue(unicodeDomain));
    }

    /// <summary>Whether some string value is exactly this, case-insensitively: for short values such as employee IDs.</summary>
    public bool HasValue(string? value) => !string.IsNullOrEmpty(value) && values.Contains(value);

    private bool Contains(string value) => text.Contains(value.ToLowerInvariant(), StringComparison.Ordinal);

    private static void Collect(ReadOnlySpan<byte> json, int depth, List<string> strings)
    {
        if (depth > 2)
            return;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        var found = new List<string>();
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                    found.Add(reader.GetString() ?? "");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
        strings.AddRange(found);
        foreach (var value in found)
        {
            var trimmed = value.TrimStart();
            if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
                Collect(Encoding.UTF8.GetBytes(value), depth + 1, strings);
        }
    }
}
