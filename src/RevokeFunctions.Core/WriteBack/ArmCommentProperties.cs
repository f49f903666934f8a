namespace RevokeFunctions.WriteBack;

/// <summary>An incident comment's properties; the message is HTML.</summary>
internal sealed record ArmCommentProperties(string Message);
