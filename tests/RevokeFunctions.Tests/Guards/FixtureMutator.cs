using System.Text;
using System.Text.Json;

namespace RevokeFunctions.Tests.Guards;

/// <summary>
/// Deterministic mutations of fixture bodies for the hostile-input test: the same seed gives the same cases, so a
/// failure names a case that can be replayed. Mutations that need structure fall back to byte-level ones when the
/// input is no longer JSON.
/// </summary>
public sealed class FixtureMutator(Random random, IReadOnlyList<string[]> identitySets)
{
    private readonly Dictionary<string, int> identifiers = Index(identitySets);

    private static readonly string[] Insertions =
    [
        "\0", "\u0001", "\u001f", "\u007f", "\r\n", "\t", "\\u0000", "\\r\\n", "\\u200b", "\\ufeff", "\u200b", "\u2028",
        "\\\"", "'", "''", " or 1 eq 1", "/../", "%2F", "#", "?$filter=", "@", "\\ud800", "\ud83d\ude00", "а", "ü",
    ];

    public delegate byte[] Mutation(byte[] input);

    public IReadOnlyList<(string Name, Mutation Apply)> Mutations =>
    [
        ("flip-bits", FlipBits),
        ("truncate", Truncate),
        ("insert-control", InsertControl),
        ("duplicate-key", DuplicateKey),
        ("deep-nesting", DeepNesting),
        ("oversized-string", OversizedString),
        ("swap-identifiers", SwapIdentifiers),
        ("move-value", MoveValue),
        ("flip-case", FlipCase),
        ("cut-range", CutRange),
    ];

    /// <summary>One to three mutations in a row; returns the names applied.</summary>
    public (byte[] Body, string Applied) Mutate(byte[] fixture)
    {
        var body = fixture;
        var names = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            var (name, apply) = Mutations[random.Next(Mutations.Count)];
            body = apply(body);
            names.Add(name);
        }
        return (body, string.Join("+", names));
    }

    public byte[] FlipBits(byte[] input)
    {
        if (input.Length == 0)
            return [(byte)random.Next(256)];
        var output = (byte[])input.Clone();
        for (var i = random.Next(1, 4); i > 0; i--)
            output[random.Next(output.Length)] ^= (byte)(1 << random.Next(8));
        return output;
    }

    public byte[] Truncate(byte[] input) => input[..random.Next(input.Length + 1)];

    public byte[] CutRange(byte[] input)
    {
        if (input.Length < 2)
            return input;
        var start = random.Next(input.Length);
        var end = Math.Min(input.Length, start + random.Next(1, 64));
        return [.. input[..start], .. input[end..]];
    }

    public byte[] InsertControl(byte[] input)
    {
        var insertion = Encoding.UTF8.GetBytes(Insertions[random.Next(Insertions.Length)]);
        // Prefer the inside of a string value, where a control character is most likely to reach an identifier.
        var strings = StringValueSpans(input);
        var at = strings.Count > 0 && random.Next(3) > 0
            ? PickInside(strings[random.Next(strings.Count)])
            : random.Next(input.Length + 1);
        return [.. input[..at], .. insertion, .. input[at..]];
    }

    public byte[] DuplicateKey(byte[] input)
    {
        var members = MemberSpans(input);
        if (members.Count == 0)
            return FlipBits(input);
        var (start, end) = members[random.Next(members.Count)];
        var member = input[start..end];
        // Either the same member again, or the same name with another member's value (the "Alice, then the CEO" case).
        if (random.Next(2) == 0 && members.Count > 1)
        {
            var other = members[random.Next(members.Count)];
            var nameEnd = Array.IndexOf(member, (byte)':');
            var otherColon = Array.IndexOf(input, (byte)':', other.Start);
            if (nameEnd > 0 && otherColon > 0 && otherColon < other.End)
                member = [.. member[..(nameEnd + 1)], .. input[(otherColon + 1)..other.End]];
        }
        return [.. input[..end], (byte)',', .. member, .. input[end..]];
    }

    public byte[] DeepNesting(byte[] input)
    {
        var depth = random.Next(2) == 0 ? random.Next(20, 40) : random.Next(100, 5000);
        if (random.Next(2) == 0)
        {
            var open = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)));
            return [.. open, .. input, .. Enumerable.Repeat((byte)'}', depth)];
        }
        var values = StringValueSpans(input);
        if (values.Count == 0)
            return [.. Enumerable.Repeat((byte)'[', depth), .. input, .. Enumerable.Repeat((byte)']', depth)];
        var (s, e) = values[random.Next(values.Count)];
        return [.. input[..(s - 1)], .. Enumerable.Repeat((byte)'[', depth), .. Enumerable.Repeat((byte)']', depth), .. input[(e + 1)..]];
    }

    public byte[] OversizedString(byte[] input)
    {
        var values = StringValueSpans(input);
        if (values.Count == 0)
            return input;
        var (s, e) = values[random.Next(values.Count)];
        int[] lengths = [65, 114, 255, 1_000, 70_000, 300_000];
        var length = lengths[random.Next(lengths.Length)];
        // The value repeated (a UPN that keeps going) or plain filler.
        var original = random.Next(2) == 0 ? input[s..e] : "a"u8.ToArray();
        var filler = new byte[length];
        for (var i = 0; i < length; i++)
            filler[i] = original.Length > 0 ? original[i % original.Length] : (byte)'a';
        return [.. input[..s], .. filler, .. input[e..]];
    }

    /// <summary>Replaces one user's identifier with another fixture user's identifier of the same kind.</summary>
    public byte[] SwapIdentifiers(byte[] input)
    {
        // Oversized bodies are refused by size before anyone reads an identifier; scanning them would only cost time.
        if (input.Length > 64 * 1024)
            return FlipBits(input);
        // Identifiers are whole string values nearly everywhere; a few random ones are also looked for inside strings
        // (Sentinel's Entities is JSON inside a string).
        var present = StringValueSpans(input)
            .Select(span => Encoding.UTF8.GetString(input, span.Start, span.End - span.Start))
            .Where(identifiers.ContainsKey)
            .Select(value => (Value: value, Kind: identifiers[value]))
            .ToList();
        if (present.Count == 0)
        {
            var text = Encoding.UTF8.GetString(input);
            for (var tries = 0; tries < 6 && present.Count == 0; tries++)
            {
                var set = identitySets[random.Next(identitySets.Count)];
                var kind = random.Next(set.Length);
                if (set[kind].Length > 0 && text.Contains(set[kind], StringComparison.OrdinalIgnoreCase))
                    present.Add((set[kind], kind));
            }
        }
        if (present.Count == 0)
            return FlipBits(input);
        var (value, chosenKind) = present[random.Next(present.Count)];
        var replacement = identitySets[random.Next(identitySets.Count)][chosenKind];
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(input).Replace(value, replacement, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Copies one string value over another: a responder's UPN into the target, a target into a note.</summary>
    public byte[] MoveValue(byte[] input)
    {
        var values = StringValueSpans(input);
        if (values.Count < 2)
            return FlipBits(input);
        var from = values[random.Next(values.Count)];
        var to = values[random.Next(values.Count)];
        return [.. input[..to.Start], .. input[from.Start..from.End], .. input[to.End..]];
    }

    public byte[] FlipCase(byte[] input)
    {
        var output = (byte[])input.Clone();
        if (output.Length == 0)
            return output;
        var start = random.Next(output.Length);
        for (var i = start; i < Math.Min(output.Length, start + random.Next(1, 40)); i++)
        {
            var c = output[i];
            if (c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z')
                output[i] = (byte)(c ^ 0x20);
        }
        return output;
    }

    /// <summary>Every identifier value with its kind (index within a set), case-insensitively.</summary>
    private static Dictionary<string, int> Index(IReadOnlyList<string[]> sets)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var set in sets)
        {
            for (var kind = 0; kind < set.Length; kind++)
            {
                if (set[kind].Length > 0)
                    index.TryAdd(set[kind], kind);
            }
        }
        return index;
    }

    private int PickInside((int Start, int End) span) => span.Start + random.Next(span.End - span.Start + 1);

    /// <summary>Byte ranges of string values' contents (between the quotes); empty when the input is not JSON.</summary>
    private static List<(int Start, int End)> StringValueSpans(byte[] input)
    {
        var spans = new List<(int, int)>();
        Walk(input, (ref Utf8JsonReader reader) =>
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                var start = (int)reader.TokenStartIndex + 1;
                spans.Add((start, (int)reader.BytesConsumed - 1));
            }
        });
        return spans;
    }

    /// <summary>Byte ranges of whole object members, <c>"name": value</c>.</summary>
    private static List<(int Start, int End)> MemberSpans(byte[] input)
    {
        var members = new List<(int, int)>();
        Walk(input, (ref Utf8JsonReader reader) =>
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
                return;
            var start = (int)reader.TokenStartIndex;
            var copy = reader;
            if (copy.Read() && copy.TrySkip())
                members.Add((start, (int)copy.BytesConsumed));
        });
        return members;
    }

    private delegate void TokenVisitor(ref Utf8JsonReader reader);

    private static void Walk(byte[] input, TokenVisitor visit)
    {
        var reader = new Utf8JsonReader(input, new JsonReaderOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
                visit(ref reader);
        }
        catch (JsonException)
        {
            // Whatever was found before the input stopped being JSON is still usable.
        }
    }
}
