using System.Text.Json.Serialization;
using RevokeFunctions.Requests;

namespace RevokeFunctions.WriteBack;

/// <summary>Source-generated JSON for everything the write-back sends and reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(ArmCommentBody))]
[JsonSerializable(typeof(ArmErrorResponse))]
[JsonSerializable(typeof(WebhookMessage))]
[JsonSerializable(typeof(TeamsMessage))]
[JsonSerializable(typeof(SourceReference))]
[JsonSerializable(typeof(PayloadError))]
internal sealed partial class WriteBackJsonContext : JsonSerializerContext;
