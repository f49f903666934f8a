using System.Net;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>Tokens go to Azure Resource Manager's own hosts only, and no token or webhook secret ever reaches a log.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task With_every_write_back_failing_no_token_and_no_webhook_secret_is_logged()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });
        host.Sandbox.Tenant.SetManager(Infrastructure.FixtureUsers.Bob, Infrastructure.FixtureUsers.Grace);
        host.Arm.FailAlways(401);
        host.Webhook.FailAlways(500);
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "/comments", StatusCode = 401, Times = 100 });
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "/sendMail", StatusCode = 403, Times = 100 });

        var sentinel = await DispatchAsync(host, await OverQueueAsync(host, SentinelIncident(), Queued("msg-" + Guid.NewGuid().ToString("N"))));
        var defender = await DispatchAsync(host, await OverHttpAsync(host, DefenderAlert(), Automated()));

        Assert.Equal(ChannelStatus.Failed, sentinel.For(WriteBackChannel.SentinelComment)?.Status);
        Assert.Equal(ChannelStatus.Failed, sentinel.For(WriteBackChannel.Webhook)?.Status);
        Assert.Equal(ChannelStatus.Failed, defender.For(WriteBackChannel.DefenderComment)?.Status);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 802);
        var logs = host.AllLogText();
        Assert.DoesNotContain("Bearer", logs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WriteBackHost.TokenSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WriteBackHost.WebhookSecret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(WriteBackHost.WebhookPath, logs, StringComparison.Ordinal);
        // Nothing went to a real Azure host, so the credential was never asked.
        Assert.Empty(TestCredentials.Requests(host.Credential));
        Assert.All(host.Arm.Requests.Concat(host.Webhook.Requests), r => Assert.False(r.Headers.ContainsKey("Authorization")));
        // And the record holds problems, never a secret.
        var record = string.Join("\n", (await host.RecordAsync()).SelectMany(r => r.Select(p => p.Value?.ToString())));
        Assert.DoesNotContain(WriteBackHost.WebhookSecret, record, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://management.azure.com/subscriptions/x", true)]
    [InlineData("https://management.usgovcloudapi.net/subscriptions/x", true)]
    [InlineData("http://management.azure.com/subscriptions/x", false)]
    [InlineData("https://management.azure.com.evil.example/subscriptions/x", false)]
    [InlineData("http://127.0.0.1:5000/subscriptions/x", false)]
    [InlineData("https://hooks.slack.com/triggers/x", false)]
    public async Task The_ARM_token_is_sent_to_Azure_Resource_Managers_hosts_over_https_only(string url, bool expectToken)
    {
        var credential = TestCredentials.Handing(WriteBackHost.TokenSecret);
        var terminal = new CapturingHandler();
        using var handler = new ArmAuthenticationHandler(credential, new Uri("https://management.azure.com")) { InnerHandler = terminal };
        using var client = new HttpClient(handler);

        using var response = await client.PutAsync(new Uri(url), new StringContent("{}"));

        var sent = terminal.Last!;
        Assert.Equal(expectToken, sent.Headers.Authorization is not null);
        Assert.Equal(expectToken ? 1 : 0, TestCredentials.Requests(credential).Count);
        if (expectToken)
        {
            Assert.Equal(("Bearer", WriteBackHost.TokenSecret), (sent.Headers.Authorization!.Scheme, sent.Headers.Authorization.Parameter));
            Assert.Equal(["https://management.azure.com/.default"], Assert.Single(TestCredentials.Requests(credential)));
        }
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Last { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Last = request;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
