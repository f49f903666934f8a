using Azure.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using NSubstitute.Extensions;
using RevokeFunctions.Graph;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using RevokeFunctions.Tests.WriteBack;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Platform;

/// <summary>
/// Issue 15, part 1: storage that does not answer under the SDK's default retries (an AggregateException), a credential
/// that cannot get a token, and a write-back that throws, each through the HTTP function and the queue handler: every
/// one ends in a typed, retried outcome (202 with the work queued, or a retry copy), never a 500 or an unsettled message.
/// </summary>
public sealed class DependencyFailureTests
{
    private const string AliceRequest = """{"user":"alice@contoso.com","reason":"phishing"}""";

    /// <summary>An automated source over HTTP (people are not limited by the storm guard, so they would not meet it).</summary>
    private const string AliceEvent =
        """{"specversion":"1.0","id":"evt-15","source":"/tests/platform","type":"com.contoso.revoke","data":{"user":"alice@contoso.com","reason":"phishing"}}""";

    [Fact]
    public async Task Storage_that_does_not_answer_under_default_retries_answers_HTTP_503_with_Retry_After_and_revokes_nobody()
    {
        await using var env = await QueueTestEnvironment.StartAsync(UnreachableDependencies.StorageAccount());

        var response = await env.PostAsync(AliceEvent);

        // The storm guard fails closed (GuardUnavailable) and the request's intake record cannot be written either, so a
        // queued retry would lose the caller's authority: the caller is told to send it again, with nothing pending.
        AssertRetryLater(response, nameof(ReasonCode.GuardUnavailable));
        Assert.Empty(env.Sender.Sent);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Storage_that_does_not_answer_under_default_retries_gives_the_queue_a_target_retry_not_a_pipeline_failure()
    {
        await using var env = await QueueTestEnvironment.StartAsync(UnreachableDependencies.StorageAccount());

        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(AliceRequest));

        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(Kind.Complete, port.Only.Kind);
        var retry = Assert.Single(env.Sender.Sent);
        // The storm guard answered GuardUnavailable for Alice, so the copy names her; a pipeline that threw would retry everything.
        Assert.Equal("UserPrincipalName:alice@contoso.com", retry.Message.ApplicationProperties[QueueProperties.PendingTargets]);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_credential_that_cannot_get_a_token_for_storage_is_503_over_HTTP_and_a_target_retry_on_the_queue()
    {
        var credential = TestCredentials.Failing();
        await using var env = await QueueTestEnvironment.StartAsync(UnreachableDependencies.StorageWithCredential(),
            replace: services => services.AddSingleton(credential));

        var response = await env.PostAsync(AliceEvent);
        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(AliceRequest));

        // The shared Graph budget (in the same storage) or the storm guard is the first to find storage without a token.
        AssertRetryLater(response, nameof(ReasonCode.GraphUnavailable), nameof(ReasonCode.GuardUnavailable));
        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(Kind.Complete, port.Only.Kind);
        var retry = Assert.Single(env.Sender.Sent);
        Assert.True(retry.Message.ApplicationProperties.ContainsKey(QueueProperties.PendingTargets));
        Assert.NotEmpty(TestCredentials.Requests(credential));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_credential_that_cannot_get_a_token_for_Graph_is_a_transient_Graph_failure_through_the_real_SDK()
    {
        // The real Graph client asks the credential only for Graph's own hosts; it throws before anything is sent.
        var graph = GraphClientRegistration.Create(new GraphOptions { BaseUrl = new Uri("https://graph.microsoft.com/v1.0") }, TestCredentials.Failing());

        var exception = await Assert.ThrowsAnyAsync<Exception>(() => graph.Users[FixtureUsers.Alice].GetAsync());
        var failure = GraphFailureClassifier.Classify(exception, CancellationToken.None);

        Assert.NotNull(failure);
        Assert.Equal(GraphFailureKind.Unavailable, failure.Kind);
        Assert.True(failure.IsTransient);
        Assert.Contains("credential could not get a token", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("identity endpoint", failure.Message, StringComparison.Ordinal); // the type only, never the text
    }

    [Fact]
    public async Task A_write_back_that_throws_changes_neither_the_HTTP_answer_nor_the_settlement()
    {
        // The outbox's record of what to tell (a store write) throws: the revocation's answer and settlement still stand.
        WriteBackOutbox? outbox = null;
        await using var env = await QueueTestEnvironment.StartAsync(replace: services => services.AddSingleton(sp =>
        {
            outbox = Substitute.ForPartsOf<WriteBackOutbox>(
                sp.GetRequiredService<IOptions<WriteBackOptions>>(), sp.GetRequiredService<IOptions<NotificationOptions>>(),
                sp.GetRequiredService<WriteBackRecord>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<WriteBackOutbox>>());
            outbox.Configure().RecordAsync(default!, default).ThrowsAsyncForAnyArgs(new AggregateException(new InvalidOperationException("write-back broke")));
            return outbox;
        }));

        var response = await env.PostAsync(AliceRequest);
        var (settlement, port) = await env.HandleAsync(QueueMessages.Received($$"""{"user":"{{FixtureUsers.Bob}}"}"""));

        Assert.Equal(200, response.Status);
        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(2, env.Sandbox.TotalRevocations);
        Assert.Equal(2, outbox!.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(WriteBackOutbox.RecordAsync)));
    }

    [Fact]
    public async Task A_pipeline_that_throws_hands_the_whole_HTTP_request_to_the_queue_and_answers_503_when_the_queue_is_down()
    {
        var ledger = Substitute.For<global::RevokeFunctions.Ledger.IRevocationLedger>();
        ledger.IsConfigured.Returns(true);
        ledger.FindAsync(default!, default).ThrowsAsyncForAnyArgs(new AggregateException(new TimeoutException("the store hung")));
        await using var env = await QueueTestEnvironment.StartAsync(replace: services => services.AddSingleton(ledger));

        var queued = await env.PostAsync(AliceRequest);
        env.Sender.FailSends();
        var refused = await env.PostAsync(AliceRequest);

        Assert.Equal(202, queued.Status);
        Assert.StartsWith("/api/revocations/", queued.Headers.Location.ToString(), StringComparison.Ordinal);
        var copy = Assert.Single(env.Sender.Sent);
        Assert.Equal("http-retry", copy.Message.Subject);
        Assert.Equal(503, refused.Status);
        Assert.Equal("urn:revokefunctions:problem:dependency-unavailable", refused.Body.GetProperty("type").GetString());
        Assert.True(int.Parse(refused.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    private static void AssertRetryLater(HttpCall.Response response, params string[] reasons)
    {
        Assert.Equal(503, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains(response.Body.GetProperty("reasonCode").GetString(), reasons);
        Assert.True(int.Parse(response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }
}
