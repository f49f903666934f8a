namespace RevokeFunctions.WriteBack;

internal sealed record ArmError(string? Code);
