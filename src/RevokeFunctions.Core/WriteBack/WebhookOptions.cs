namespace RevokeFunctions.WriteBack;

/// <summary>
/// An outgoing webhook (section <c>Notifications:Webhook</c>) posted for every revocation of a protected account,
/// every storm-guard refusal and every dead letter.
/// </summary>
public sealed class WebhookOptions
{
    public bool Enabled { get; set; }

    /// <summary>
    /// The workflow's URL. It carries its own secret (a signature or token in the path or query): keep it in Key Vault
    /// and set the app setting as a Key Vault reference, never in the repository. It is never logged.
    /// </summary>
    public Uri? Url { get; set; }

    public WebhookFormat Format { get; set; } = WebhookFormat.Json;
}
