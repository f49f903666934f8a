namespace RevokeFunctions.WriteBack;

/// <summary>Telling people (section <c>Notifications</c>): a chat webhook and the users' managers. Each part is off until switched on.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    public WebhookOptions Webhook { get; } = new();

    public ManagerEmailOptions ManagerEmail { get; } = new();

    public bool AnyEnabled => Webhook.Enabled || ManagerEmail.Enabled;
}
