using System.Globalization;
using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// Reads the members a format relies on from a <see cref="JsonElement"/>, naming each problem by its JSON path. A
/// format reads on after a problem, then checks <see cref="Error"/> once before it returns any target, so a payload with
/// one bad member never yields a partial result.
/// </summary>
/// <remarks>
/// When several things are wrong, <see cref="Error"/> leads with the one an operator is most likely able to fix: a bad
/// user identifier (the source's mapping), then the payload's structure, then a timestamp (rarely the operator's to
/// fix); the next most important problem follows in the detail. Within a rank, the first problem found is kept.
/// </remarks>
internal sealed class MemberReader
{
    private readonly string shape;
    private readonly PayloadError?[] problems = new PayloadError?[3];

    /// <param name="shape">The format's name as an operator knows it ("Sentinel incident"), used in details.</param>
    public MemberReader(string shape) => this.shape = shape;

    public PayloadError? Error
    {
        get
        {
            var found = problems.Where(p => p is not null).Select(p => p!).Take(2).ToList();
            return found.Count switch
            {
                0 => null,
                1 => found[0],
                _ => found[0] with { Detail = $"{found[0].Detail} Also: {found[1].Detail}" },
            };
        }
    }

    public bool Failed => problems.Any(p => p is not null);

    public void Fail(PayloadErrorKind kind, string detail, string path) =>
        Record(kind == PayloadErrorKind.InvalidUserIdentifier ? 0 : 1, PayloadError.Invalid(kind, detail, path));

    public void Violation(string detail, string path) => Fail(PayloadErrorKind.SchemaViolation, detail, path);

    private void Record(int rank, PayloadError problem) => problems[rank] ??= problem;

    public static string Child(string path, string name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                return $"{path}['{name}']";
        }
        return $"{path}.{name}";
    }

    public static string Item(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    /// <summary>True when the member is present and not JSON null.</summary>
    public static bool Has(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// A JSON string's text. False when it holds an unpaired surrogate escape (<c>"\ud800"</c>): valid JSON syntax but
    /// not text, on which <see cref="JsonElement.GetString"/> throws.
    /// </summary>
    public static bool TryGetText(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>A property's name, or false when it holds an unpaired surrogate escape (see <see cref="TryGetText"/>).</summary>
    public static bool TryGetName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    /// <summary>
    /// A string member. Absent, null and "" all read as null: Log Analytics writes "" for "no value", and a source
    /// that leaves a member empty has not given it.
    /// </summary>
    public string? String(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
        {
            Violation($"The {shape} member {Child(path, name)} is a JSON {Describe(value.ValueKind)}; a string is expected.", Child(path, name));
            return null;
        }
        if (!TryGetText(value, out var text))
        {
            Violation($"The {shape} member {Child(path, name)} holds an unpaired surrogate escape (\\uD800-\\uDFFF), which is not text.",
                Child(path, name));
            return null;
        }
        return text.Length == 0 ? null : text;
    }

    public string? RequiredString(JsonElement obj, string name, string path)
    {
        var text = String(obj, name, path);
        if (text is null && !Failed)
            Violation($"The {shape} at {path} lacks the required member {name}.", Child(path, name));
        return text;
    }

    /// <summary>A number or a string (Sentinel's incident number is a number in the resource, a string elsewhere).</summary>
    public string? NumberOrString(JsonElement obj, string name, string path)
    {
        if (!Has(obj, name, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number)
            return value.TryGetInt64(out var number) ? number.ToString(CultureInfo.InvariantCulture) : null;
        return String(obj, name, path);
    }

    /// <summary>An RFC 3339 date-time with a UTC offset; see <see cref="Rfc3339"/>.</summary>
    public DateTimeOffset? Timestamp(JsonElement obj, string name, string path)
    {
        var text = String(obj, name, path);
        if (text is null)
            return null;
        if (Rfc3339.TryParse(text, out var instant))
            return instant;
        Record(2, PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
            $"The {shape} member {Child(path, name)} is not an RFC 3339 date-time with a UTC offset (e.g. 2026-11-24T07:12:44Z).",
            Child(path, name)));
        return null;
    }

    /// <summary>The first of several timestamp members that is present, in the order given.</summary>
    public DateTimeOffset? FirstTimestamp(JsonElement obj, string path, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (Timestamp(obj, name, path) is { } instant)
                return instant;
        }
        return null;
    }

    public JsonElement? Object(JsonElement obj, string name, string path) => Member(obj, name, path, JsonValueKind.Object);

    public JsonElement? Array(JsonElement obj, string name, string path) => Member(obj, name, path, JsonValueKind.Array);

    public JsonElement? RequiredObject(JsonElement obj, string name, string path)
    {
        var value = Object(obj, name, path);
        if (value is null && !Failed)
            Violation($"The {shape} at {path} lacks the required member {name}.", Child(path, name));
        return value;
    }

    /// <summary>An array item that must be an object.</summary>
    public bool IsObject(JsonElement item, string path)
    {
        if (item.ValueKind == JsonValueKind.Object)
            return true;
        Violation($"The {shape} item at {path} is a JSON {Describe(item.ValueKind)}; an object is expected.", path);
        return false;
    }

    private JsonElement? Member(JsonElement obj, string name, string path, JsonValueKind kind)
    {
        if (!Has(obj, name, out var value))
            return null;
        if (value.ValueKind == kind)
            return value;
        Violation($"The {shape} member {Child(path, name)} is a JSON {Describe(value.ValueKind)}; "
            + $"{(kind == JsonValueKind.Object ? "an object" : "an array")} is expected.", Child(path, name));
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
