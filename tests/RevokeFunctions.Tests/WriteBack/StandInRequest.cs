namespace RevokeFunctions.Tests.WriteBack;

/// <summary>One request a <see cref="StandInServer"/> received.</summary>
public sealed record StandInRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);
