using System.Text.Json.Serialization;

namespace RevokeFunctions.WriteBack;

/// <summary>Source-generated JSON for everything the write-back sends and reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ArmCommentBody))]
[JsonSerializable(typeof(ArmErrorResponse))]
[JsonSerializable(typeof(WebhookMessage))]
[JsonSerializable(typeof(TeamsMessage))]
internal sealed partial class WriteBackJsonContext : JsonSerializerContext;
