namespace RevokeFunctions.WriteBack;

/// <summary>
/// The <see cref="WebhookFormat.Json"/> body: flat, every value a string (empty rather than absent), because a Slack
/// workflow's webhook variables must be top-level strings. Values are plain text straight from the request: a
/// workflow must show them as text, not as markup.
/// </summary>
internal sealed record WebhookMessage(
    string Text,
    string Event,
    string RequestId,
    string Source,
    string SourceId,
    string SourceNumber,
    string SourceUrl,
    string Severity,
    string Title,
    string Users,
    string UserIds,
    string Count,
    string Reason,
    string Detail,
    string App);
