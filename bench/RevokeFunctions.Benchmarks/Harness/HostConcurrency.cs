using System.Text.Json;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// How many messages the Functions host hands the app at once: <c>extensions.serviceBus.maxConcurrentCalls</c> in
/// host.json. The benchmark drives the pipeline and the baseline at that concurrency so its figures describe the
/// deployed app, not an arbitrary load.
/// </summary>
internal static class HostConcurrency
{
    /// <summary>The Service Bus extension's per-core default (16 calls per core) on one core, when host.json says nothing.</summary>
    public const int Fallback = 16;

    public static (int Value, string Source) Read()
    {
        var path = RepositoryPaths.HostJson;
        if (!File.Exists(path))
            return (Fallback, "host.json not found; the Service Bus extension's default for one core");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        if (document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("serviceBus", out var serviceBus)
            && serviceBus.TryGetProperty("maxConcurrentCalls", out var calls)
            && calls.TryGetInt32(out var value) && value > 0)
            return (value, "host.json extensions.serviceBus.maxConcurrentCalls");
        return (Fallback, "host.json sets no extensions.serviceBus.maxConcurrentCalls; the Service Bus extension's default for one core");
    }
}
