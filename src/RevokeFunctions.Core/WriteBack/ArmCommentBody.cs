namespace RevokeFunctions.WriteBack;

/// <summary>The body of ARM's incident comment create-or-update: <c>{"properties":{"message":"…"}}</c>.</summary>
internal sealed record ArmCommentBody(ArmCommentProperties Properties);
