using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// Sentinel writes an alert's entities with reference preservation: each entity appears in full once, carrying a
/// <c>$id</c>, wherever the serializer first met it (possibly nested inside another entity, such as a process's
/// account), and as <c>{"$ref": "…"}</c> everywhere else. Reading the list without resolving references would miss
/// an account that happened to be written inside a process first.
/// </summary>
internal sealed class SentinelEntityGraph
{
    private readonly Dictionary<string, (JsonElement Entity, string Path)> byId = new(StringComparer.Ordinal);

    private SentinelEntityGraph()
    {
    }

    /// <summary>Indexes every object with a <c>$id</c> under <paramref name="entities"/>; a repeated <c>$id</c> is a violation.</summary>
    public static SentinelEntityGraph Index(JsonElement entities, string path, MemberReader reader)
    {
        var graph = new SentinelEntityGraph();
        graph.Walk(entities, path, reader);
        return graph;
    }

    /// <summary>The entity an item stands for: itself, or the entity its <c>$ref</c> names.</summary>
    public (JsonElement Entity, string Path)? Resolve(JsonElement item, string path, MemberReader reader)
    {
        if (!item.TryGetProperty("$ref"u8, out var reference))
            return (item, path);
        var refPath = MemberReader.Child(path, "$ref");
        if (reference.ValueKind != JsonValueKind.String)
        {
            reader.Violation($"The Sentinel alert entity reference at {refPath} is not a string.", refPath);
            return null;
        }
        if (MemberReader.TryGetText(reference, out var id) && byId.TryGetValue(id, out var target))
            return target;
        reader.Violation($"The Sentinel alert entity reference at {refPath} names no entity in the alert.", refPath);
        return null;
    }

    private void Walk(JsonElement element, string path, MemberReader reader)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("$id"u8, out var id) && id.ValueKind == JsonValueKind.String
                    && (!MemberReader.TryGetText(id, out var key) || !byId.TryAdd(key, (element, path))))
                {
                    reader.Violation($"The Sentinel alert entity at {path} repeats an entity $id (or has one that is not text), "
                        + "so references to it are ambiguous.", path);
                }
                foreach (var member in element.EnumerateObject())
                {
                    if (!MemberReader.TryGetName(member, out var name))
                    {
                        reader.Violation($"A Sentinel alert entity under {path} has a property name that is not text (an unpaired surrogate escape).", path);
                        continue;
                    }
                    Walk(member.Value, MemberReader.Child(path, name), reader);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Walk(item, MemberReader.Item(path, index++), reader);
                break;
        }
    }
}
