using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace RevokeFunctions.App.Http;

/// <summary>Writes a source-generated JSON body with its status and headers; no MVC formatters, no reflection.</summary>
internal sealed class JsonResult<T>(int status, string contentType, T value, JsonTypeInfo<T> typeInfo) : IActionResult
{
    public int StatusCode => status;

    public T Value => value;

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        foreach (var (name, headerValue) in Headers)
            response.Headers[name] = headerValue;
        await JsonSerializer.SerializeAsync(response.Body, value, typeInfo, context.HttpContext.RequestAborted);
    }
}
