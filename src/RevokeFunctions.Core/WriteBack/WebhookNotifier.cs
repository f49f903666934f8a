using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Posts notifications as JSON to <c>Notifications:Webhook:Url</c> (a Teams or Slack workflow, or any HTTP trigger).
/// No credential is sent: the URL is its own secret, so it is never logged and never followed through a redirect. The
/// client comes from <see cref="IHttpClientFactory"/> with the standard resilience handler (see
/// <see cref="WriteBackServiceCollectionExtensions"/>): retries, Retry-After, timeouts and the circuit breaker are its.
/// </summary>
public sealed class WebhookNotifier : IWebhookNotifier
{
    private readonly HttpClient http;
    private readonly WebhookOptions options;

    public WebhookNotifier(HttpClient http, IOptions<NotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options.Value.Webhook;
    }

    public async Task PostAsync(WebhookNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var url = options.Url ?? throw new WriteBackException("Notifications:Webhook:Url is not set", null, isTransient: false);
        using var content = options.Format == WebhookFormat.AdaptiveCard
            ? JsonContent.Create(Card(notification), WriteBackJsonContext.Default.TeamsMessage)
            : JsonContent.Create(Flat(notification), WriteBackJsonContext.Default.WebhookMessage);
        using var response = await http.PostAsync(url, content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            throw new WriteBackException($"the webhook answered {status}", status, WriteBackException.IsTransientStatus(status),
                response.Headers.RetryAfter?.Delta);
        }
    }

    internal static WebhookMessage Flat(WebhookNotification notification)
    {
        var source = notification.Source;
        return new WebhookMessage(
            Text: notification.Summary,
            Event: notification.EventName,
            RequestId: notification.RequestId,
            Source: source?.Kind ?? "",
            SourceId: source?.Id ?? "",
            SourceNumber: source?.Number ?? "",
            SourceUrl: source?.Url ?? "",
            Severity: source?.Severity ?? "",
            Title: source?.Title ?? "",
            Users: notification.Users,
            UserIds: string.Join(",", notification.Lines.Select(l => l.UserId).OfType<string>()),
            Count: notification.Lines.Count.ToString(CultureInfo.InvariantCulture),
            Reason: notification.Reason ?? "",
            Detail: notification.Detail ?? "",
            App: "RevokeFunctions");
    }

    internal static TeamsMessage Card(WebhookNotification notification)
    {
        var source = notification.Source;
        var facts = new List<AdaptiveCardFact> { new("Request", Escape(notification.RequestId)) };
        if (source is not null)
        {
            facts.Add(new AdaptiveCardFact("Source", Escape(source.Number is { Length: > 0 } n ? $"{source.Kind} #{n}" : source.Kind)));
            if (source.Title is { Length: > 0 } title)
                facts.Add(new AdaptiveCardFact("Title", Escape(title)));
            if (source.Severity is { Length: > 0 } severity)
                facts.Add(new AdaptiveCardFact("Severity", Escape(severity)));
        }
        if (notification.Lines.Count > 0)
            facts.Add(new AdaptiveCardFact("Users", Escape(notification.Users)));
        if (notification.Reason is { Length: > 0 } reason)
            facts.Add(new AdaptiveCardFact("Reason", Escape(reason)));

        var body = new List<AdaptiveCardElement>
        {
            new("TextBlock") { Text = Escape(notification.Summary), Weight = "Bolder", Size = "Medium", Wrap = true },
            new("FactSet") { Facts = facts },
        };
        if (notification.Detail is { Length: > 0 } detail)
            body.Add(new AdaptiveCardElement("TextBlock") { Text = Escape(detail), Wrap = true });
        return new TeamsMessage("message", [new TeamsAttachment("application/vnd.microsoft.card.adaptive", new AdaptiveCard(body))]);
    }

    /// <summary>
    /// Teams renders a subset of Markdown in card text; text from a payload must not turn into links or formatting,
    /// so the characters that open them are escaped (a link needs its brackets).
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '[' or ']' or '~' or '`')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
