using System.Text.Json;
using System.Text.Json.Serialization;

namespace RevokeFunctions.GraphSandbox;

/// <summary>Source-generated (de)serialization metadata, so reading JSON never falls back to reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(TenantFileDocument))]
[JsonSerializable(typeof(CheckMemberGroupsBody))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
