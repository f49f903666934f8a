using System.Text.Json.Serialization;

namespace RevokeFunctions.Benchmarks.Reporting;

/// <summary>How a scenario's process hands its figures to the <c>all</c> command that started it.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(LoadRunResult))]
[JsonSerializable(typeof(ThrottledRunResult))]
[JsonSerializable(typeof(MassRunResult))]
[JsonSerializable(typeof(ScaleOutRunResult))]
[JsonSerializable(typeof(List<ParsingResult>))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
