using System.Text.Json.Serialization;

namespace RevokeFunctions.Ledger;

/// <summary>Source-generated JSON for the ledger's status lines (the CLI's <c>status --output json</c>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(TargetStatus))]
public sealed partial class LedgerJsonContext : JsonSerializerContext;
