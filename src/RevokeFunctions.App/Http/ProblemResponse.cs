using System.Text.Json.Serialization;
using RevokeFunctions.Reporting;

namespace RevokeFunctions.App.Http;

/// <summary>RFC 7807 problem details, with the reason code and request ID an operator needs to act and to find the logs.</summary>
public sealed record ProblemResponse(string Type, string Title, int Status, string Detail)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instance { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ReasonCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RequestId { get; init; }

    /// <summary>The JSON path of the first problem in the body.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    /// <summary>Per-target results, when the problem concerns targets rather than the payload.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TargetReport>? Results { get; init; }
}
