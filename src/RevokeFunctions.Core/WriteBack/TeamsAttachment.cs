namespace RevokeFunctions.WriteBack;

internal sealed record TeamsAttachment(string ContentType, AdaptiveCard Content);
