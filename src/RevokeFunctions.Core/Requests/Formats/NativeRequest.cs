using System.Text.Json.Serialization;

namespace RevokeFunctions.Requests.Formats;

/// <summary>The app's own request: <c>{"user": "...", "reason": "...", "requestedBy": "...", "correlationId": "..."}</c>.</summary>
public sealed record NativeRequest
{
    /// <summary>A UPN, mail address or object ID (GUID, any case, with or without braces).</summary>
    [JsonRequired]
    public required string User { get; init; }

    public string? Reason { get; init; }

    /// <summary>An audit note only; the caller's identity comes from authentication, never from the body.</summary>
    public string? RequestedBy { get; init; }

    public string? CorrelationId { get; init; }
}

/// <summary>The list form: <c>{"requests": [ ... ]}</c>.</summary>
public sealed record NativeRequestList
{
    [JsonRequired]
    public required IReadOnlyList<NativeRequest> Requests { get; init; }
}
