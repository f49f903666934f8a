using System.Text.Json.Serialization;

namespace RevokeFunctions.Operations;

/// <summary>Source-generated JSON for the operator commands' <c>--output json</c> lines.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(DeadLetter))]
[JsonSerializable(typeof(DeadLetterDetail))]
[JsonSerializable(typeof(ResubmitResult))]
public sealed partial class OperationsJsonContext : JsonSerializerContext;
