using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Operations;

/// <summary>
/// A dead letter's body for a person to read: JSON re-indented, other text as it is, anything else as base64; cut at a
/// number of characters so one huge payload cannot flood a terminal.
/// </summary>
/// <param name="Bytes">The body's real size.</param>
/// <param name="Truncated">The text stops before the end of the body.</param>
public sealed record DeadLetterBody(DeadLetterBodyFormat Format, string Text, int Bytes, bool Truncated)
{
    public const int DefaultMaxChars = 16 * 1024;

    public static DeadLetterBody From(ServiceBusReceivedMessage message, int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        byte[] bytes;
        try
        {
            bytes = message.Body.ToArray();
        }
        catch (NotSupportedException)
        {
            return new DeadLetterBody(DeadLetterBodyFormat.Text, "(an AMQP value or sequence body, not data: nothing the app can read)", 0, false);
        }

        var (format, text) = Render(bytes);
        return text.Length <= maxChars
            ? new DeadLetterBody(format, text, bytes.Length, false)
            : new DeadLetterBody(format, text[..maxChars], bytes.Length, true);
    }

    private static (DeadLetterBodyFormat, string) Render(byte[] bytes)
    {
        ReadOnlySpan<byte> content = bytes;
        if (content.StartsWith("\uFEFF"u8))
            content = content[3..];
        if (!Utf8.IsValid(content))
            return (DeadLetterBodyFormat.Base64, Convert.ToBase64String(bytes));
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(bytes.Length - content.Length), new JsonDocumentOptions { MaxDepth = 256 });
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
            {
                Indented = true,
                // For reading, not for a browser: non-ASCII names stay readable; control characters are still escaped.
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }))
            {
                document.RootElement.WriteTo(writer);
            }
            return (DeadLetterBodyFormat.Json, Encoding.UTF8.GetString(buffer.ToArray()));
        }
        catch (JsonException)
        {
            return (DeadLetterBodyFormat.Text, Encoding.UTF8.GetString(content));
        }
    }
}
