namespace RevokeFunctions.WriteBack;

/// <summary>ARM's error answer, <c>{"error":{"code":"…","message":"…"}}</c>; only the code is kept.</summary>
internal sealed record ArmErrorResponse(ArmError? Error);
