namespace RevokeFunctions.Tests.WriteBack;

/// <summary>One request a <see cref="StandInServer"/> received.</summary>
/// <param name="At">When it arrived.</param>
public sealed record StandInRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);
