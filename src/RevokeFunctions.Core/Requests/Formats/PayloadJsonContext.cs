using System.Text.Json.Serialization;

namespace RevokeFunctions.Requests.Formats;

/// <summary>Source-generated JSON for the app's own payload shapes: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(NativeRequest))]
[JsonSerializable(typeof(NativeRequestList))]
internal sealed partial class PayloadJsonContext : JsonSerializerContext;
