using System.Text;
using System.Text.Json;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Requests;

/// <summary>
/// Finds where a JSON object repeats a property name, as a JSON path (<c>$.data.subscriptionId</c>). The document
/// parser refuses the repeat but names no place; this second, forward-only pass runs only for a body already refused,
/// so the operator is told which member of which object to fix.
/// </summary>
internal static class DuplicatePropertyPath
{
    /// <returns>The path of the first repeated name, or null when there is none (or the body fails to read first).</returns>
    public static string? Find(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth, CommentHandling = JsonCommentHandling.Disallow });
        // One frame per open container: its path, the names seen (objects) or the next index (arrays).
        var frames = new Stack<Frame>();
        string? pendingName = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var frame = frames.Peek();
                        var name = NameOf(ref reader);
                        var path = MemberReader.Child(frame.Path, name);
                        if (!frame.Names!.Add(name))
                            return path;
                        pendingName = path;
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var here = frames.Count == 0 ? "$" : ValuePath(frames.Peek(), pendingName);
                        frames.Push(new Frame(here, reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : null));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.Pop();
                        break;
                    default:
                        if (frames.Count > 0)
                            ValuePath(frames.Peek(), pendingName);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    /// <summary>The path of the value that starts now: the pending member of an object, or the next item of an array.</summary>
    private static string ValuePath(Frame parent, string? pendingName) =>
        parent.Names is null ? MemberReader.Item(parent.Path, parent.NextIndex++) : pendingName ?? parent.Path;

    /// <summary>The decoded name; a name holding a lone surrogate escape is compared by its raw bytes instead.</summary>
    private static string NameOf(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            var raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
            return Encoding.UTF8.GetString(raw);
        }
    }

    private sealed class Frame(string path, HashSet<string>? names)
    {
        public string Path { get; } = path;

        public HashSet<string>? Names { get; } = names;

        public int NextIndex { get; set; }
    }
}
