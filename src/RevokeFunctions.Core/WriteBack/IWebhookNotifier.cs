namespace RevokeFunctions.WriteBack;

/// <summary>Posts a notification to the configured chat webhook.</summary>
public interface IWebhookNotifier
{
    /// <summary>Throws <see cref="WriteBackException"/> when the webhook does not accept it.</summary>
    Task PostAsync(WebhookNotification notification, CancellationToken cancellationToken);
}
