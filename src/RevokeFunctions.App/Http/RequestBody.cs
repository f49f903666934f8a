using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RevokeFunctions.App.Http;

/// <summary>Reads a request body as UTF-8 JSON, refusing other media types and never buffering more than the cap.</summary>
internal static class RequestBody
{
    /// <summary><c>application/json</c> or any <c>+json</c> type (CloudEvents' <c>application/cloudevents+json</c>), UTF-8 only.</summary>
    public static bool IsJson(string? contentType, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            problem = "Send the body with Content-Type: application/json.";
            return false;
        }
        var type = media.MediaType.Value ?? "";
        var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!json)
        {
            problem = $"Content-Type {type} is not accepted; send the body as application/json.";
            return false;
        }
        var charset = media.Charset.Value;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"Charset {charset} is not accepted; JSON must be sent as UTF-8.";
            return false;
        }
        return true;
    }

    /// <summary>Returns null when the body exceeds <paramref name="maxBytes"/>; stops reading as soon as it does.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return null;

        var buffer = new ArrayBufferWriter<byte>(Math.Min(maxBytes + 1, (int?)request.ContentLength + 1 ?? 16 * 1024));
        while (true)
        {
            var memory = buffer.GetMemory(8 * 1024);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
                return buffer.WrittenMemory;
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
                return null;
        }
    }
}
