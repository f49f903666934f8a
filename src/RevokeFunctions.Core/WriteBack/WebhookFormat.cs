namespace RevokeFunctions.WriteBack;

/// <summary>The body the webhook receives.</summary>
public enum WebhookFormat
{
    /// <summary>
    /// One flat JSON object of strings (<c>text</c>, <c>event</c>, <c>requestId</c>, …): what a Slack workflow's
    /// webhook trigger takes as variables, and what a Power Automate or Logic App HTTP trigger parses with a schema.
    /// </summary>
    Json,

    /// <summary>
    /// A Teams message with one Adaptive Card, as the Teams workflow "Post to a channel when a webhook request is
    /// received" expects.
    /// </summary>
    AdaptiveCard,
}
