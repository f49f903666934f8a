namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// One request the sandbox received. <paramref name="Path"/> is percent-decoded once per segment (so a guest UPN reads
/// <c>#EXT#</c>); <paramref name="Query"/> is the decoded query string without the leading <c>?</c>;
/// <paramref name="Filter"/> is the decoded <c>$filter</c> value or null. <paramref name="StatusCode"/> is 499 when the
/// client went away (or the sandbox stopped) before an answer was written.
/// </summary>
public sealed record SandboxRequest(string Method, string Path, string Query, string? Filter, int StatusCode, DateTimeOffset At);
