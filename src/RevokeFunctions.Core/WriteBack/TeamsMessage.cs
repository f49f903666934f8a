namespace RevokeFunctions.WriteBack;

/// <summary>The <see cref="WebhookFormat.AdaptiveCard"/> body: a Teams message holding one Adaptive Card.</summary>
internal sealed record TeamsMessage(string Type, IReadOnlyList<TeamsAttachment> Attachments);
