using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// The request's path and query, percent-decoded exactly once. The raw target is split into segments before decoding,
/// so an encoded '/' (%2F) inside a key stays inside that key instead of creating a new segment, and a double-encoded
/// key (%2523) reaches the lookup as "%23", just as it would reach Graph.
/// </summary>
internal sealed class RequestTarget
{
    private RequestTarget(string[] segments, string query)
    {
        Segments = segments;
        Path = "/" + string.Join('/', segments);
        Query = query;
    }

    public IReadOnlyList<string> Segments { get; }

    public string Path { get; }

    /// <summary>Without the leading '?'; '+' read as a space, as form-style query decoding does.</summary>
    public string Query { get; }

    public static RequestTarget From(HttpRequest request)
    {
        string rawPath;
        string rawQuery;
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (rawTarget is { Length: > 0 } && rawTarget[0] == '/')
        {
            var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
            rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
            rawQuery = queryStart < 0 ? "" : rawTarget[(queryStart + 1)..];
        }
        else
        {
            // Absolute-form or asterisk targets (proxies, OPTIONS *): fall back to the server's parsed view.
            rawPath = request.PathBase.Add(request.Path).ToUriComponent();
            rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        }

        var segments = rawPath.Length <= 1 ? [] : rawPath[1..].Split('/');
        for (var i = 0; i < segments.Length; i++)
            segments[i] = Uri.UnescapeDataString(segments[i]);
        return new RequestTarget(segments, Uri.UnescapeDataString(rawQuery.Replace('+', ' ')));
    }
}
