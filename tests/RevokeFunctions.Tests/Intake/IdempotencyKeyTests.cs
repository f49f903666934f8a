using System.Text;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Intake;

/// <summary>
/// An idempotency key names one request (the IETF draft, Stripe's behaviour): the same key and body again is a
/// replay, another body is refused and revokes nobody, and a key used again after its window is a new request.
/// Through the real HTTP function and queue handler, the Graph sandbox, the ledger on Azurite and a sender that
/// drops duplicates the way Service Bus does.
/// </summary>
public sealed class IdempotencyKeyTests
{
    private static byte[] Body(string user) => Encoding.UTF8.GetBytes($$"""{"user":"{{user}}","reason":"phishing"}""");

    [Fact]
    public async Task The_same_key_with_another_body_is_422_idempotency_key_reused_and_revokes_nobody()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var key = "INC-" + Guid.NewGuid().ToString("N");

        var first = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);
        var second = await env.PostAsync(Body("grace.kim@contoso.com"), idempotencyKey: key);

        Assert.Equal(200, first.Status);
        Assert.Equal(422, second.Status);
        Assert.Equal("application/problem+json", second.ContentType);
        Assert.Equal("urn:revokefunctions:problem:idempotency-key-reused", second.Body.GetProperty("type").GetString());
        Assert.Equal(nameof(ReasonCode.IdempotencyKeyReused), second.Body.GetProperty("reasonCode").GetString());
        Assert.Contains(first.Body.GetProperty("requestId").GetString()!, second.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Grace));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Two_bodies_under_one_key_during_an_outage_never_lose_the_second_to_duplicate_detection()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sender.DuplicateDetectionWindow = TimeSpan.FromHours(1);
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        var key = "INC-" + Guid.NewGuid().ToString("N");

        var first = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);
        var second = await env.PostAsync(Body("grace.kim@contoso.com"), idempotencyKey: key);

        // The second caller is told at once, never handed a 202 for work duplicate detection then throws away.
        Assert.Equal(202, first.Status);
        Assert.Equal(422, second.Status);
        Assert.Equal(0, env.Sender.Dropped);
        var queued = Assert.Single(env.Sender.Sent);
        env.Sandbox.ClearFaults();
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(queued));
        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Grace));
    }

    [Fact]
    public async Task The_same_key_and_body_within_the_window_is_a_replay_answered_from_the_ledger()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var key = "INC-" + Guid.NewGuid().ToString("N");

        var first = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);
        env.Sandbox.ResetRecording();
        var repeat = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, repeat.Status);
        Assert.Contains("nothing was done again", repeat.Body.GetProperty("results")[0].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_key_used_again_after_its_window_is_a_new_request_not_a_replay_of_the_old_outcome()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await QueueTestEnvironment.StartAsync(time: clock);
        var key = "INC-" + Guid.NewGuid().ToString("N");

        var first = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);
        // A day and more later the same key and body come again: a new incident the caller numbered the same way.
        clock.Now = clock.Now.AddHours(25);
        var later = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, later.Status);
        Assert.DoesNotContain("nothing was done again", later.Body.GetProperty("results")[0].GetProperty("detail").GetString() ?? "", StringComparison.Ordinal);
        Assert.Equal("Revoked", later.Body.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(2, env.Sandbox.RevocationCount(FixtureUsers.Alice));
    }

    [Fact]
    public async Task A_queue_MessageId_reused_for_another_body_is_dead_lettered_IdempotencyKeyReused_and_revokes_nobody()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var messageId = "HR-" + Guid.NewGuid().ToString("N");

        var (firstSettlement, _) = await env.HandleAsync(QueueMessages.Received(Body("alice@contoso.com"), messageId: messageId));
        // Past Service Bus's one-hour duplicate detection, within the key's 24 hours: the queue delivers it.
        var (secondSettlement, port) = await env.HandleAsync(QueueMessages.Received(Body("grace.kim@contoso.com"), messageId: messageId));

        Assert.Equal(QueueSettlementKind.Completed, firstSettlement.Kind);
        Assert.Equal(Kind.DeadLetter, port.Only.Kind);
        Assert.Equal(nameof(ReasonCode.IdempotencyKeyReused), port.Only.Reason);
        Assert.Equal(ReasonCode.IdempotencyKeyReused, secondSettlement.Reason);
        Assert.Contains("MessageId", port.Only.Description, StringComparison.Ordinal);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Grace));
    }

    [Fact]
    public async Task Different_callers_may_use_the_same_key_for_their_own_requests()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var key = "INC-" + Guid.NewGuid().ToString("N");

        var person = await env.PostAsync(Body("alice@contoso.com"), idempotencyKey: key);
        var app = await env.PostAsync(Body("grace.kim@contoso.com"), principal: AppPrincipalOfAnotherApp(), idempotencyKey: key);

        Assert.Equal(200, person.Status);
        Assert.Equal(200, app.Status);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Grace));
    }

    private static string AppPrincipalOfAnotherApp()
    {
        var json = """{"auth_typ":"aad","claims":[{"typ":"oid","val":"3a9d6c1e-0b7f-4d2a-9e51-6c8f2b4a7d10"},{"typ":"roles","val":"Revocations.Submit"}]}""";
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
