using System.Text.Json.Serialization;

namespace RevokeFunctions.Reporting;

/// <summary>Source-generated JSON for what callers read; nulls are written, because the contract names every field.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TargetReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
