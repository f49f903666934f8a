using System.Runtime.InteropServices;
using System.Text.Json;
using RevokeFunctions.Requests.Formats;

namespace RevokeFunctions.Requests;

/// <summary>
/// A CloudEvents JSON batch (<c>application/cloudevents-batch+json</c>, what Event Grid sends with batched delivery):
/// several requests in one body. Either refused whole (<see cref="Error"/>), or its events in order, each to be
/// processed as its own request with its own outcome; an item that is not a CloudEvent carries its own error.
/// </summary>
public sealed class CloudEventBatch
{
    public const string MediaType = "application/cloudevents-batch+json";

    private CloudEventBatch(PayloadError? error, IReadOnlyList<CloudEventBatchItem> items)
    {
        Error = error;
        Items = items;
    }

    public PayloadError? Error { get; }

    public IReadOnlyList<CloudEventBatchItem> Items { get; }

    /// <summary>True for the batch media type (parameters such as <c>charset</c> aside).</summary>
    public static bool IsBatch(string? contentType)
    {
        if (contentType is null)
            return false;
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var media = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return media.Equals(MediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A body whose JSON is an array, for callers with no media type to go by (a file given to the CLI): only a
    /// CloudEvents batch is an array, every other supported shape is an object.
    /// </summary>
    public static bool LooksLikeBatch(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\uFEFF"u8))
            utf8 = utf8[3..];
        var start = utf8.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && utf8[start] == (byte)'[';
    }

    internal static CloudEventBatch Refused(PayloadError error) => new(error, []);

    internal static CloudEventBatch Split(JsonElement root, int maxEvents)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return Refused(PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                $"A {MediaType} body must be a JSON array of CloudEvents; this one is a JSON {root.ValueKind.ToString().ToLowerInvariant()}. "
                + "Send a single event as application/cloudevents+json.", "$"));
        }
        var count = root.GetArrayLength();
        if (count == 0)
            return Refused(PayloadError.Invalid(PayloadErrorKind.NoTargetUser, "The CloudEvents batch is empty, so it names no user.", "$"));
        if (count > maxEvents)
        {
            return Refused(PayloadError.Invalid(PayloadErrorKind.TooLarge,
                $"The CloudEvents batch holds {count} events; at most {maxEvents} are accepted in one body (Limits:MaxBatchEvents). "
                + "Nothing was revoked: lower the Event Grid subscription's maxEventsPerBatch."));
        }

        var format = new CloudEventFormat();
        var items = new List<CloudEventBatchItem>(count);
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var path = MemberReader.Item("$", index);
            if (item.ValueKind != JsonValueKind.Object || !format.Recognizes(item))
            {
                items.Add(new CloudEventBatchItem(index++, null, ReadOnlyMemory<byte>.Empty, PayloadError.Invalid(PayloadErrorKind.SchemaViolation,
                    $"The batch item at {path} is not a CloudEvent (a JSON object with specversion, id, source and type); "
                    + "every item of a CloudEvents batch must be one.", path)));
                continue;
            }
            // The event's own bytes, unchanged: it is parsed again, alone, by the same strict parser as any body.
            var body = JsonMarshal.GetRawUtf8Value(item).ToArray();
            items.Add(new CloudEventBatchItem(index++, EventId(item), body, null));
        }
        return new CloudEventBatch(null, items);
    }

    private static string? EventId(JsonElement item) =>
        item.TryGetProperty("id"u8, out var id) && id.ValueKind == JsonValueKind.String && MemberReader.TryGetText(id, out var text)
            ? FreeText.Id(text)
            : null;
}

/// <summary>One event of a CloudEvents batch: its bytes to process as a request, or why it was refused alone.</summary>
/// <param name="Index">Its position in the batch (0-based), as the batch answer names it.</param>
/// <param name="EventId">The event's <c>id</c>, when it has a readable one.</param>
public sealed record CloudEventBatchItem(int Index, string? EventId, ReadOnlyMemory<byte> Body, PayloadError? Error);
