using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace RevokeFunctions.GraphSandbox;

/// <summary>Writes answers with <see cref="Utf8JsonWriter"/> into a buffer first, so every answer has a Content-Length.</summary>
internal static class GraphResponses
{
    public const string RequestIdHeader = "request-id";
    public const string ClientRequestIdHeader = "client-request-id";

    // The answers are read by JSON parsers, never embedded in HTML, so '+', '\'' and non-ASCII stay readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteJsonAsync<TState>(HttpContext context, int statusCode, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer, state);

        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, GraphError error)
    {
        var headers = context.Response.Headers;
        var ids = (RequestId: headers[RequestIdHeader].ToString(), ClientRequestId: headers[ClientRequestIdHeader].ToString(), Error: error);
        return WriteJsonAsync(context, error.StatusCode, ids,
            static (writer, state) => state.Error.WriteTo(writer, state.RequestId, state.ClientRequestId, DateTimeOffset.UtcNow));
    }
}
