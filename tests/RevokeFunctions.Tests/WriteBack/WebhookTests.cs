using System.Text.Json;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>The outgoing webhook: what is posted, in which shape, once, and what is never in it or in a log.</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task A_dead_letter_is_posted_as_flat_JSON_of_strings()
    {
        await using var host = await WriteBackHost.StartAsync();

        var outcome = await OverQueueAsync(host, Native("alice@contoso.com", "nobody@contoso.com"), Queued("msg-" + Guid.NewGuid().ToString("N")));
        var report = await DispatchAsync(host, outcome);

        var post = Assert.Single(host.Webhook.Requests);
        Assert.Equal(("POST", WriteBackHost.WebhookPath), (post.Method, post.Path));
        Assert.StartsWith("application/json", post.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(post.Body);
        var fields = body.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        // Slack workflow variables must be top-level strings: every value is one.
        Assert.All(fields.Values, v => Assert.Equal(JsonValueKind.String, v.ValueKind));
        Assert.Equal(
            ["app", "count", "detail", "event", "reason", "requestId", "severity", "source", "sourceId", "sourceNumber", "sourceUrl", "text", "title", "userIds", "users"],
            fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("dead-lettered", fields["event"].GetString());
        Assert.Equal(outcome.Context.RequestId, fields["requestId"].GetString());
        Assert.Equal("nobody@contoso.com", fields["users"].GetString());
        Assert.Equal("1", fields["count"].GetString());
        Assert.Equal("UserNotFound", fields["reason"].GetString());
        Assert.Equal("native", fields["source"].GetString());
        Assert.Equal("RevokeFunctions", fields["app"].GetString());
        Assert.Equal(outcome.DeadLetter!.Description, fields["detail"].GetString());
        Assert.Contains("dead-lettered for 1 user: nobody@contoso.com", fields["text"].GetString(), StringComparison.Ordinal);
        Assert.Equal(ChannelStatus.Done, report.For(WriteBackChannel.Webhook)?.Status);
    }

    [Fact]
    public async Task A_message_dead_lettered_as_a_whole_is_posted_with_its_reason()
    {
        await using var host = await WriteBackHost.StartAsync();

        var outcome = await OverQueueAsync(host, """{"alert":{"who":"alice@contoso.com"}}"""u8.ToArray(), Queued("msg-" + Guid.NewGuid().ToString("N")));
        await DispatchAsync(host, outcome);
        await DispatchAsync(host, outcome);

        using var body = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        Assert.Equal("dead-lettered", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("UnknownSchema", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal("", body.RootElement.GetProperty("users").GetString());
        Assert.Contains("nobody in it was revoked", body.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storm_guard_refusal_is_posted_once_and_not_again_as_a_dead_letter()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });

        var outcome = await OverQueueAsync(host, SentinelIncident(), Queued("msg-" + Guid.NewGuid().ToString("N")));
        await DispatchAsync(host, outcome);

        Assert.Contains(outcome.Result.Targets, t => t.Reason == ReasonCode.StormGuard);
        Assert.NotNull(outcome.DeadLetter);
        using var body = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        Assert.Equal("storm-guard-refused", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("carmen.ruiz@contoso.com", body.RootElement.GetProperty("users").GetString());
        Assert.Equal("StormGuard", body.RootElement.GetProperty("reason").GetString());
        Assert.Equal("sentinel-incident", body.RootElement.GetProperty("source").GetString());
        Assert.Equal("4821", body.RootElement.GetProperty("sourceNumber").GetString());
        Assert.Equal("High", body.RootElement.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task A_revoked_protected_account_is_posted()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedAccounts:0"] = FixtureUsers.Alice });

        var context = Person(mayRevokeProtected: true);
        var outcome = await OverHttpAsync(host, Native("alice@contoso.com"), context);
        await DispatchAsync(host, outcome with { ProtectedUserIds = new HashSet<string>([FixtureUsers.Alice], StringComparer.OrdinalIgnoreCase) });

        Assert.Equal(Outcome.Revoked, Assert.Single(outcome.Result.Targets).Outcome);
        using var body = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        Assert.Equal("protected-account-revoked", body.RootElement.GetProperty("event").GetString());
        Assert.Equal("alice@contoso.com", body.RootElement.GetProperty("users").GetString());
        Assert.Equal(FixtureUsers.Alice, body.RootElement.GetProperty("userIds").GetString());
    }

    [Fact]
    public async Task The_Teams_format_is_one_Adaptive_Card_and_payload_text_cannot_turn_into_links()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:Webhook:Format"] = "AdaptiveCard",
            ["Guards:StormGuard:MaxUsers"] = "1",
        });
        var body = SentinelIncident(incident => incident["properties"]!["title"] = "Click [here](https://evil.example) *now*");

        await DispatchAsync(host, await OverHttpAsync(host, body, Automated()));

        using var message = JsonDocument.Parse(Assert.Single(host.Webhook.Requests).Body);
        var root = message.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card.GetProperty("$schema").GetString());
        var elements = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal("TextBlock", elements[0].GetProperty("type").GetString());
        Assert.Contains("Storm guard refused 1 user of request", elements[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var facts = elements.Single(e => e.GetProperty("type").GetString() == "FactSet").GetProperty("facts").EnumerateArray()
            .ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString()!);
        Assert.Equal(@"Click \[here\](https://evil.example) \*now\*", facts["Title"]);
        Assert.Equal("StormGuard", facts["Reason"]);
        Assert.Equal("sentinel-incident #4821", facts["Source"]);
    }

    [Fact]
    public async Task A_redelivered_message_notifies_nobody_twice()
    {
        await using var host = await WriteBackHost.StartAsync();
        var messageId = "msg-" + Guid.NewGuid().ToString("N");

        await DispatchAsync(host, await OverQueueAsync(host, Native("nobody@contoso.com"), Queued(messageId)));
        var again = await DispatchAsync(host, await OverQueueAsync(host, Native("nobody@contoso.com"), Queued(messageId)));

        Assert.Single(host.Webhook.Requests);
        Assert.Same(WriteBackReport.Nothing, again);
    }

    [Fact]
    public async Task With_the_webhook_down_the_failure_is_recorded_retried_by_the_next_delivery_and_the_URL_never_logged()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Webhook.FailAlways(500);
        var messageId = "msg-" + Guid.NewGuid().ToString("N");

        var report = await DispatchAsync(host, await OverQueueAsync(host, Native("alice@contoso.com", "nobody@contoso.com"), Queued(messageId)));

        Assert.Equal(1, host.Sandbox.RevocationCount(FixtureUsers.Alice));
        var webhook = report.For(WriteBackChannel.Webhook)!;
        // The first delivery; its post was tried three times inside (WriteBack:MaxAttempts).
        Assert.Equal((ChannelStatus.Failed, 1, "the webhook answered 500"), (webhook.Status, webhook.Attempts, webhook.Problem));
        Assert.Equal(3, host.Webhook.Requests.Count);
        Assert.Equal("Failed", (await host.RequestRowAsync()).GetString("WebhookStatus"));
        var logs = host.AllLogText();
        Assert.Contains("Webhook", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WriteBackHost.WebhookSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WriteBackHost.WebhookPath, logs, StringComparison.Ordinal);

        // The message is delivered again once the webhook is back: what was not sent is sent, once.
        host.Webhook.FailAlways(0);
        await DispatchAsync(host, await OverQueueAsync(host, Native("alice@contoso.com", "nobody@contoso.com"), Queued(messageId)));
        await DispatchAsync(host, await OverQueueAsync(host, Native("alice@contoso.com", "nobody@contoso.com"), Queued(messageId)));

        Assert.Equal(4, host.Webhook.Requests.Count);
        Assert.Equal("Done", (await host.RequestRowAsync()).GetString("WebhookStatus"));
    }
}
