namespace RevokeFunctions.Requests;

/// <summary>A payload that parsed: its source and the distinct users it names, in payload order.</summary>
public sealed record ParsedPayload(SourceReference Source, IReadOnlyList<RequestedTarget> Targets);
