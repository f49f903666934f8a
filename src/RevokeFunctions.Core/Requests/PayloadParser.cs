using System.Text.Json;
using Microsoft.Extensions.Options;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Requests;

/// <summary>
/// Turns a body into a <see cref="ParsedPayload"/> or a <see cref="PayloadError"/>. Strict on purpose: duplicate
/// property names, comments, trailing commas, invalid UTF-8 and excess depth are refused, because two parsers reading
/// one payload differently is how a request ends up revoking someone it did not name.
/// </summary>
public sealed class PayloadParser
{
    private readonly IReadOnlyList<IPayloadFormat> formats;
    private readonly PayloadLimits limits;

    public PayloadParser(IEnumerable<IPayloadFormat> formats, IOptions<PayloadLimits> limits)
    {
        this.formats = [.. formats];
        this.limits = limits.Value;
    }

    public PayloadParseResult Parse(ReadOnlyMemory<byte> utf8, DateTimeOffset receivedAt) => Parse(utf8, receivedAt, 0);

    internal PayloadParseResult Parse(ReadOnlyMemory<byte> utf8, DateTimeOffset receivedAt, int depth) =>
        Read(utf8, root => ParseElement(root, receivedAt, depth), PayloadParseResult.Failure);

    /// <summary>
    /// Splits an <c>application/cloudevents-batch+json</c> body (a JSON array of CloudEvents) into its events, each to be
    /// processed as a request of its own. The array is read with the same strict rules as any body; a batch that breaks
    /// them, is empty or holds more than <see cref="PayloadLimits.MaxBatchEvents"/> events is refused whole. An item
    /// that is not a CloudEvent is refused alone, with its index.
    /// </summary>
    public CloudEventBatch SplitBatch(ReadOnlyMemory<byte> utf8) =>
        Read(utf8, root => CloudEventBatch.Split(root, limits.MaxBatchEvents), CloudEventBatch.Refused);

    /// <summary>The checks every body gets before its JSON is used: size, UTF-8, then a strict parse.</summary>
    private T Read<T>(ReadOnlyMemory<byte> utf8, Func<JsonElement, T> use, Func<PayloadError, T> refuse)
    {
        if (utf8.IsEmpty)
            return refuse(PayloadError.Invalid(PayloadErrorKind.EmptyBody, "The body is empty; send a JSON revocation request."));
        if (utf8.Length > limits.MaxBodyBytes)
        {
            return refuse(PayloadError.Invalid(PayloadErrorKind.TooLarge,
                $"The body is {utf8.Length} bytes; at most {limits.MaxBodyBytes} are accepted."));
        }

        var span = utf8.Span;
        if (span.StartsWith("\uFEFF"u8))
            utf8 = utf8[3..];
        // The JSON reader checks UTF-8 only when a string is read; check it all up front, so a bad byte is a
        // malformed body wherever it sits, not a type error in whichever member happens to hold it.
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            return refuse(PayloadError.Invalid(PayloadErrorKind.MalformedJson,
                "The body is not valid UTF-8; JSON must be sent as UTF-8."));
        }

        var options = new JsonDocumentOptions
        {
            AllowDuplicateProperties = false,
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = limits.MaxDepth,
        };
        try
        {
            using var document = JsonDocument.Parse(utf8, options);
            return use(document.RootElement);
        }
        catch (JsonException ex)
        {
            return refuse(MalformedJson(ex, utf8.Span));
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check decodes property names, and a string holding half a surrogate pair cannot be
            // decoded: that is a malformed body too, not a crash.
            return refuse(PayloadError.Invalid(PayloadErrorKind.MalformedJson,
                "The body holds an escaped lone surrogate (\\uD800-\\uDFFF), which is not a character."));
        }
    }

    internal PayloadParseResult ParseElement(JsonElement root, DateTimeOffset receivedAt, int depth)
    {
        if (depth > limits.MaxEnvelopeDepth)
        {
            return new PayloadError(ReasonCode.UnknownSchema, PayloadErrorKind.UnknownSchema,
                $"Envelopes are nested more than {limits.MaxEnvelopeDepth} deep.");
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new PayloadError(ReasonCode.UnknownSchema, PayloadErrorKind.UnknownSchema,
                $"The payload is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; a JSON object of a supported shape is expected.", "$");
        }

        var context = new PayloadParseContext(this, receivedAt, depth);
        foreach (var format in formats)
        {
            if (format.Recognizes(root))
                return format.Parse(root, context);
        }
        return new PayloadError(ReasonCode.UnknownSchema, PayloadErrorKind.UnknownSchema,
            "The JSON matches no supported shape (native request, Sentinel incident or alert, Defender XDR alert or incident, "
            + "Defender for Endpoint alert, Entra ID Protection risk detection or risky user, CloudEvent, HR leaver); "
            + "see the README for each.", "$");
    }

    private PayloadError MalformedJson(JsonException ex, ReadOnlySpan<byte> utf8)
    {
        // The reader's message names the problem and position; the inner message never holds payload text.
        var duplicate = ex.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase);
        // The document parser names no place for a repeated name; a second pass finds the member that repeats.
        var where = (duplicate ? DuplicatePropertyPath.Find(utf8, limits.MaxDepth) : null)
            ?? (ex.Path is { Length: > 0 } path ? path : "$");
        var position = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
        return duplicate
            ? PayloadError.Invalid(PayloadErrorKind.DuplicateProperty,
                $"A JSON object repeats a property name at {where}{position}; each property may appear once.", where)
            : PayloadError.Invalid(PayloadErrorKind.MalformedJson,
                $"The body is not well-formed JSON{position}: {FirstSentence(ex.Message)}", where);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var sentence = end > 0 ? message[..(end + 1)] : message;
        return sentence.Length > 300 ? sentence[..300] : sentence;
    }
}
