namespace RevokeFunctions.WriteBack;

/// <summary>How a write-back call ended: done, or the last problem after <paramref name="Attempts"/> tries.</summary>
public sealed record CallResult(bool Succeeded, int Attempts, string? Problem);
