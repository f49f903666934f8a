using System.Text.Json.Nodes;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Formats;

/// <summary>The payload samples in samples/ as mutable trees, for variations on a real source's shape.</summary>
internal static class SampleFiles
{
    public static string PathOf(string sample) => Path.Combine(TestPaths.RepositoryRoot, "samples", sample);

    public static JsonNode Load(string sample) => JsonNode.Parse(File.ReadAllText(PathOf(sample)))!;

    public static JsonObject Object(string sample) => Load(sample).AsObject();
}
