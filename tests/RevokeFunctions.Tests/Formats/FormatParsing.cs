using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Hosting;
using RevokeFunctions.Requests;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Formats;

/// <summary>The parser exactly as the app composes it (every format, in registration order), plus fixture editing.</summary>
internal static class FormatParsing
{
    public static readonly DateTimeOffset Arrival = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public static IServiceProvider Services { get; } = BuildServices();

    public static PayloadParser Parser { get; } = Services.GetRequiredService<PayloadParser>();

    public static PayloadParseResult Fixture(string file) => Parser.Parse(File.ReadAllBytes(TestPaths.Fixture(file)), Arrival);

    public static PayloadParseResult Json(string json) => Parser.Parse(Encoding.UTF8.GetBytes(json), Arrival);

    public static PayloadParseResult Node(JsonNode node) => Json(node.ToJsonString());

    /// <summary>A fixture as a mutable tree, for variations on a real payload.</summary>
    public static JsonObject Load(string file) => JsonNode.Parse(File.ReadAllText(TestPaths.Fixture(file)))!.AsObject();

    public static ParsedPayload Parsed(this PayloadParseResult result)
    {
        Assert.True(result.Succeeded, result.Error?.Detail);
        return result.Payload;
    }

    public static PayloadError Refused(this PayloadParseResult result, PayloadErrorKind kind)
    {
        Assert.False(result.Succeeded, "the payload was accepted");
        Assert.Equal(kind, result.Error.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Detail));
        return result.Error;
    }

    public static IReadOnlyList<string> Identifiers(this ParsedPayload payload) =>
        [.. payload.Targets.Select(t => string.Join(" + ", t.Identifiers.Select(i => i.ToString())))];

    private static ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddRevocationPipeline(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }
}
