using System.Text.Json.Serialization;

namespace RevokeFunctions.App.Http;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(RevocationResponse))]
[JsonSerializable(typeof(Status.RevocationStatusResponse))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
