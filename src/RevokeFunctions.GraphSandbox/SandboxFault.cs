namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// A failure to inject. Faults are checked in the order they were injected, before throttling and normal handling;
/// each matching request uses up one of <see cref="Times"/>.
/// </summary>
public sealed record SandboxFault
{
    /// <summary>HTTP method to match, case-insensitively; null matches any.</summary>
    public string? Method { get; init; }

    /// <summary>Matched against the decoded path, ordinal-ignore-case; empty matches every path.</summary>
    public string PathContains { get; init; } = "";

    /// <summary>
    /// The status to answer with (403, 404, 429, 500, 503, ...). 0 means "no error": only <see cref="Delay"/> applies and
    /// the request is then handled normally, which is how a slow Graph is simulated.
    /// </summary>
    public int StatusCode { get; init; }

    /// <summary>How many matching requests this fault applies to before it stops.</summary>
    public int Times { get; init; } = int.MaxValue;

    /// <summary>Sets Retry-After. A 429 without it still gets "1", as Graph always sends one with a 429.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The Graph error code; defaults from the status (403 Authorization_RequestDenied, 503 ServiceUnavailable, ...).</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Extra wait before answering, e.g. to make a client time out. Cut short if the client goes away.</summary>
    public TimeSpan? Delay { get; init; }
}
