namespace RevokeFunctions.Graph;

/// <summary>A Graph call that did not succeed, reduced to what the pipeline decides on.</summary>
public sealed record GraphFailure(GraphFailureKind Kind, int? StatusCode, string? ErrorCode, string Message)
{
    public TimeSpan? RetryAfter { get; init; }

    public string? RequestId { get; init; }

    public bool IsTransient => Kind is GraphFailureKind.Throttled or GraphFailureKind.Unavailable or GraphFailureKind.Timeout;
}
