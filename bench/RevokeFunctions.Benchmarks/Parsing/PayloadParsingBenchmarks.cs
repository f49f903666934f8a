using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Hosting;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Benchmarks.Parsing;

/// <summary>Scenario 1: <see cref="PayloadParser.Parse"/> on one sample per format: detection, validation, targets.</summary>
[MemoryDiagnoser]
public class PayloadParsingBenchmarks
{
    private ServiceProvider? services;
    private PayloadParser? parser;
    private ReadOnlyMemory<byte> payload;
    private DateTimeOffset receivedAt;

    public static IEnumerable<string> Formats => PayloadSamples.All.Select(s => s.Format);

    [ParamsSource(nameof(Formats))]
    public string Format { get; set; } = "native";

    [GlobalSetup]
    public void Setup()
    {
        // The parser as the app composes it: every format, the configured limits.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Azure:Credential"] = "Developer",
        }).Build();
        services = new ServiceCollection().AddLogging().AddRevocationPipeline(configuration).BuildServiceProvider();
        parser = services.GetRequiredService<PayloadParser>();
        payload = PayloadSamples.Read(Format);
        receivedAt = DateTimeOffset.UtcNow;
        var check = parser.Parse(payload, receivedAt);
        if (!check.Succeeded)
            throw new InvalidOperationException($"The {Format} sample does not parse: {check.Error.Detail}");
    }

    [Benchmark]
    public PayloadParseResult Parse() => parser!.Parse(payload, receivedAt);

    [GlobalCleanup]
    public void Cleanup() => services?.Dispose();
}
