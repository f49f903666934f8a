using RevokeFunctions.App.Http;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The HTTP trigger hands what it cannot finish to the revocation queue: 202 with Location when the queue took it,
/// 503 with Retry-After when it did not, never a silent drop in between.
/// </summary>
public sealed class HttpQueueFallbackTests
{
    [Fact]
    public async Task Graph_down_answers_202_with_Location_and_queues_one_message_that_later_revokes()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { StatusCode = 503 });

        var response = await env.PostAsync("""{"user":"alice@contoso.com"}""");

        Assert.Equal(202, response.Status);
        var requestId = response.Body.GetProperty("requestId").GetString();
        Assert.Equal($"/api/revocations/{requestId}", response.Headers.Location.ToString());
        var result = Assert.Single(response.Body.GetProperty("results").EnumerateArray());
        Assert.Equal(nameof(ReasonCode.GraphUnavailable), result.GetProperty("reason").GetString());
        Assert.Contains("queued", result.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var queued = Assert.Single(env.Sender.Sent);
        Assert.Equal(requestId, queued.Message.ApplicationProperties[QueueProperties.RequestId]);
        Assert.Equal(2, queued.Message.ApplicationProperties[QueueProperties.Attempt]);
        Assert.Equal("http-retry", queued.Message.Subject);
        Assert.Equal(0, env.Sandbox.TotalRevocations);

        // Graph recovers; the queued message is delivered to the queue trigger and finishes the job.
        env.Sandbox.ClearFaults();
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(queued));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
    }

    [Fact]
    public async Task Graph_and_the_queue_down_answers_503_with_Retry_After()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { StatusCode = 503 });
        env.Sender.FailSends();

        var response = await env.PostAsync("""{"user":"alice@contoso.com"}""");

        Assert.Equal(503, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(RevocationHttpResults.QueueUnavailableType, response.Body.GetProperty("type").GetString());
        Assert.Equal(nameof(ReasonCode.GraphUnavailable), response.Body.GetProperty("reasonCode").GetString());
        Assert.True(int.Parse(response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(1, env.Sender.Refused);
        Assert.Empty(env.Sender.Sent);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Without_a_Service_Bus_namespace_a_transient_failure_is_503_not_a_false_202()
    {
        await using var env = await QueueTestEnvironment.StartAsync(withSender: false);
        env.Sandbox.Inject(new SandboxFault { StatusCode = 503 });

        var response = await env.PostAsync("""{"user":"alice@contoso.com"}""");

        Assert.Equal(503, response.Status);
        Assert.Equal(RevocationHttpResults.QueueUnavailableType, response.Body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(response.Headers.RetryAfter.ToString()));
    }

    [Fact]
    public async Task Only_the_unfinished_user_of_a_list_is_queued_and_the_answer_is_202()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = $"{FixtureUsers.Bob}/revokeSignInSessions", StatusCode = 503 });

        var response = await env.PostAsync("""{"requests":[{"user":"alice@contoso.com"},{"user":"bob.kowalski@contoso.com"}]}""");

        Assert.Equal(202, response.Status);
        Assert.Equal(["Revoked", "Failed"], response.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        var queued = Assert.Single(env.Sender.Sent);
        Assert.Equal("UserPrincipalName:bob.kowalski@contoso.com", queued.Message.ApplicationProperties[QueueProperties.PendingTargets]);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
    }

    [Fact]
    public async Task A_future_leaver_over_HTTP_is_scheduled_on_the_queue_for_its_date_and_answered_202_naming_it()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var due = new DateTimeOffset(2099, 12, 31, 17, 0, 0, TimeSpan.Zero);

        var response = await env.PostAsync(File.ReadAllBytes(TestPaths.Fixture("edge/hr-leaver-future-date.json")));

        Assert.Equal(202, response.Status);
        var result = Assert.Single(response.Body.GetProperty("results").EnumerateArray());
        Assert.Equal("Deferred", result.GetProperty("outcome").GetString());
        Assert.Equal(due, result.GetProperty("notBefore").GetDateTimeOffset());
        Assert.Contains("2099-12-31T17:00:00", result.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var scheduled = Assert.Single(env.Sender.Sent);
        Assert.Equal(due, scheduled.ScheduledFor);
        Assert.Equal("http-deferred", scheduled.Message.Subject);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_future_leaver_over_HTTP_that_cannot_be_scheduled_is_503()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sender.FailSends();

        var response = await env.PostAsync(File.ReadAllBytes(TestPaths.Fixture("edge/hr-leaver-future-date.json")));

        Assert.Equal(503, response.Status);
        Assert.Equal(nameof(ReasonCode.NotYetEffective), response.Body.GetProperty("reasonCode").GetString());
    }
}
