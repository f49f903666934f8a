using System.Net.Http.Headers;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Queue;

/// <summary>
/// Reads a queue message's body as UTF-8 JSON. A missing ContentType is accepted (many senders never set it); a
/// declared non-JSON type, a non-UTF-8 charset, a UTF-16/32 body or an AMQP value body is refused as InvalidPayload.
/// </summary>
public static class QueueMessageBody
{
    public static bool TryRead(ServiceBusReceivedMessage message, out ReadOnlyMemory<byte> body, out PayloadError? error)
    {
        ArgumentNullException.ThrowIfNull(message);
        body = default;
        if (!IsJson(message.ContentType, out var problem))
        {
            error = PayloadError.Invalid(PayloadErrorKind.UnsupportedMediaType, problem);
            return false;
        }

        BinaryData data;
        try
        {
            data = message.Body;
        }
        catch (NotSupportedException)
        {
            error = PayloadError.Invalid(PayloadErrorKind.UnsupportedMediaType,
                "The message body is an AMQP value or sequence, not data; send the JSON request as the message's binary body.");
            return false;
        }

        body = data.ToMemory();
        if (LooksLikeUtf16Or32(body.Span))
        {
            error = PayloadError.Invalid(PayloadErrorKind.UnsupportedMediaType,
                "The message body is encoded as UTF-16 or UTF-32; send the JSON request encoded as UTF-8.");
            return false;
        }
        error = null;
        return true;
    }

    /// <summary><c>application/json</c> or any <c>application/*+json</c>, UTF-8 or no charset; absent is accepted.</summary>
    public static bool IsJson(string? contentType, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(contentType))
            return true;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType is null)
        {
            problem = "The message's ContentType is not a media type; set it to application/json.";
            return false;
        }
        var type = media.MediaType;
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!json)
        {
            problem = $"The message's ContentType is {Shorten(type)}; send the JSON request with ContentType application/json.";
            return false;
        }
        var charset = media.CharSet?.Trim('"');
        if (charset is { Length: > 0 } && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"The message's charset is {Shorten(charset)}; send the JSON request encoded as UTF-8.";
            return false;
        }
        return true;
    }

    // JSON text starts with an ASCII character, so a UTF-16/32 body has a byte-order mark or a NUL among its first bytes.
    private static bool LooksLikeUtf16Or32(ReadOnlySpan<byte> body) =>
        body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
        || body[..Math.Min(body.Length, 4)].Contains((byte)0);

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
