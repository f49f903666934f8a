using System.Text.Json;

namespace RevokeFunctions.Requests.Formats;

/// <summary>
/// A Graph (or Defender API) collection response, <c>{"@odata.context", "value": [...], "@odata.nextLink"}</c>, as a
/// scheduled job forwards one page unchanged. Every item must be of the format's kind; the next-page link is ignored
/// (each page is its own request). One format's page shape serves risk detections, risky users and alerts alike.
/// </summary>
internal static class GraphPage
{
    /// <summary>
    /// A page whose items include one <paramref name="isItem"/> accepts; an empty page is recognised by its
    /// <c>@odata.context</c> naming <paramref name="contextMarker"/> (e.g. <c>riskDetections</c>).
    /// </summary>
    public static bool Recognizes(JsonElement root, Func<JsonElement, bool> isItem, string contextMarker)
    {
        if (!root.TryGetProperty("value"u8, out var value) || value.ValueKind != JsonValueKind.Array)
            return false;
        if (value.GetArrayLength() == 0)
        {
            return root.TryGetProperty("@odata.context"u8, out var odataContext) && odataContext.ValueKind == JsonValueKind.String
                && MemberReader.TryGetText(odataContext, out var text) && text.Contains(contextMarker, StringComparison.OrdinalIgnoreCase);
        }
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && isItem(item))
                return true;
        }
        return false;
    }

    /// <summary>
    /// One item or a page of them, as every format that Graph (or the Defender API) also lists parses it: each item read
    /// with <paramref name="read"/> (which adds its targets), then the reader's first error, else
    /// <paramref name="noTarget"/> (told whether it was a page) when no item named a user.
    /// </summary>
    public static PayloadParseResult Parse(
        JsonElement root, MemberReader reader, string kind, string itemName, Func<JsonElement, bool> isItem,
        Func<JsonElement, string, TargetCollector, SourceReference> read, Func<bool, PayloadError> noTarget)
    {
        var collector = new TargetCollector();
        var page = IsPage(root, isItem);
        var source = page
            ? Read(root, reader, kind, itemName, isItem, (item, path) => read(item, path, collector))
            : read(root, "$", collector);
        if (reader.Error is { } error)
            return error;
        return collector.Count == 0 ? noTarget(page) : new ParsedPayload(source, collector.ToList());
    }

    /// <summary>True when the root is a page rather than one item.</summary>
    public static bool IsPage(JsonElement root, Func<JsonElement, bool> isItem) =>
        !isItem(root) && root.TryGetProperty("value"u8, out var value) && value.ValueKind == JsonValueKind.Array;

    /// <summary>
    /// Reads every item with <paramref name="read"/> (which adds its targets and returns its source reference). A page of
    /// one item is that item's request and keeps its source; a longer page has no single source item.
    /// </summary>
    public static SourceReference Read(
        JsonElement root, MemberReader reader, string kind, string itemName, Func<JsonElement, bool> isItem,
        Func<JsonElement, string, SourceReference> read)
    {
        var list = root.GetProperty("value"u8);
        var count = list.GetArrayLength();
        var source = new SourceReference(kind);
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var itemPath = MemberReader.Item("$.value", index++);
            if (!reader.IsObject(item, itemPath))
                break;
            if (!isItem(item))
            {
                reader.Violation($"The item at {itemPath} is not {itemName}.", itemPath);
                break;
            }
            var itemSource = read(item, itemPath);
            if (count == 1)
                source = itemSource;
        }
        return source;
    }
}
