using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;

namespace RevokeFunctions.WriteBack;

/// <summary>Start-up checks of <c>Notifications</c>. Messages name the setting; the webhook URL itself is never echoed (it holds a secret).</summary>
public sealed class NotificationOptionsValidator(IOptions<LedgerOptions> ledger) : IValidateOptions<NotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        var webhook = options.Webhook;
        if (webhook.Enabled)
        {
            if (webhook.Url is not { IsAbsoluteUri: true } url)
                failures.Add("Notifications:Webhook:Enabled is on but Notifications:Webhook:Url is not an absolute URL.");
            else if (!EndpointRules.IsHttpsOrLoopback(url))
                failures.Add($"Notifications:Webhook:Url must be https (its host is '{url.Host}').");
        }
        if (!Enum.IsDefined(webhook.Format))
            failures.Add("Notifications:Webhook:Format must be Json or AdaptiveCard.");

        var mail = options.ManagerEmail;
        if (mail.Enabled && !(Guid.TryParse(mail.Sender, out _) || UserIdentifier.TryCreateAddress(mail.Sender, out _, out _)))
        {
            failures.Add("Notifications:ManagerEmail:Enabled is on but Notifications:ManagerEmail:Sender is not a mailbox's "
                + "user principal name or object ID.");
        }

        if (options.AnyEnabled && !ledger.Value.IsConfigured)
        {
            failures.Add("Notifications are on but the ledger is not configured (Ledger:serviceUri): notifications record "
                + "there what they sent, so a retried request notifies nobody twice.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
