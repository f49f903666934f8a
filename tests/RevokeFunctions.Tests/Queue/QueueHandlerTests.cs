using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Users;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Queue;

/// <summary>
/// The queue handler with real <c>ServiceBusReceivedMessage</c>s, a recording settlement port, a recording
/// <c>ServiceBusSender</c>, and the real Graph SDK against the sandbox. Every delivery must end in exactly one settlement.
/// </summary>
public sealed class QueueHandlerTests
{
    private const string AliceRequest = """{"user":"alice@contoso.com","reason":"phishing"}""";

    [Fact]
    public async Task A_valid_request_is_revoked_then_completed_once()
    {
        await using var env = await QueueTestEnvironment.StartAsync();

        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(AliceRequest));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sender.Sent);
    }

    public static TheoryData<string, string, string?> PermanentFailures => new()
    {
        { "unknown user", """{"user":"nobody@contoso.com"}""", null },
        { "ambiguous user", """{"schemaVersion":"1.0","messageType":"leaver","sourceSystem":"Workday","ticket":"HR-1","employeeId":"100101","userPrincipalName":"bob.kowalski@contoso.com","effectiveDate":"2026-01-02T00:00:00Z"}""", null },
        { "guest", """{"user":"jo.smith_fabrikam.com#EXT#@contoso.onmicrosoft.com"}""", null },
        { "Graph 403", AliceRequest, "403" },
        { "Graph 401", AliceRequest, "401" },
        { "Graph 400", AliceRequest, "400" },
        { "unknown schema", """{"alert":{"result":{"user":"alice@contoso.com"}}}""", null },
        { "schema violation", """{"user":100101}""", null },
    };

    [Theory]
    [MemberData(nameof(PermanentFailures))]
    public async Task Each_permanent_failure_is_one_dead_letter_with_its_code_and_an_actionable_description(string what, string body, string? graphStatus)
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        if (graphStatus is not null)
            env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = int.Parse(graphStatus, System.Globalization.CultureInfo.InvariantCulture) });
        var expected = what switch
        {
            "unknown user" => ReasonCode.UserNotFound,
            "ambiguous user" => ReasonCode.AmbiguousUser,
            "guest" => ReasonCode.GuestUser,
            "Graph 403" => ReasonCode.GraphForbidden,
            "Graph 401" => ReasonCode.GraphUnauthorized,
            "Graph 400" => ReasonCode.GraphRejected,
            "unknown schema" => ReasonCode.UnknownSchema,
            _ => ReasonCode.InvalidPayload,
        };
        var message = QueueMessages.Received(body, messageId: "HR-2291");

        var (settlement, port) = await env.HandleAsync(message);

        var deadLetter = port.Only;
        Assert.Equal(Kind.DeadLetter, deadLetter.Kind);
        Assert.Equal(expected.ToString(), deadLetter.Reason);
        Assert.Equal(expected, settlement.Reason);
        Assert.False(string.IsNullOrWhiteSpace(deadLetter.Description));
        Assert.True(deadLetter.Description!.Length <= 4096);
        Assert.Equal("HR-2291", deadLetter.Properties[QueueProperties.RequestId]);
        Assert.Equal("HR-2291", deadLetter.Properties[QueueProperties.OriginalMessageId]);
        Assert.Equal(1, deadLetter.Properties[QueueProperties.Attempt]);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sender.Sent);
        if (graphStatus is not null)
        {
            Assert.Equal(FixtureUsers.Alice, deadLetter.Properties[QueueProperties.UserIds]);
            Assert.Equal("native", deadLetter.Properties[QueueProperties.Source]);
        }
        if (expected == ReasonCode.GraphForbidden)
            Assert.Contains("User.RevokeSessions.All", deadLetter.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_users_in_one_message_is_a_TooManyTargets_dead_letter_and_nobody_is_revoked()
    {
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:MaxTargets"] = "1" });

        var (_, port) = await env.HandleAsync(QueueMessages.Received("""{"requests":[{"user":"alice@contoso.com"},{"user":"bob.kowalski@contoso.com"}]}"""));

        Assert.Equal(Kind.DeadLetter, port.Only.Kind);
        Assert.Equal(nameof(ReasonCode.TooManyTargets), port.Only.Reason);
        Assert.Contains("Guards:MaxTargets", port.Only.Description, StringComparison.Ordinal);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_transient_failure_schedules_one_retry_and_completes_then_the_retry_revokes_once()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        // Three 503s use up the SDK's own attempts (Graph:MaxRetries = 2); the queue's retry then meets a healthy Graph.
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503, Times = 3 });
        var firstArrival = DateTimeOffset.UtcNow.AddSeconds(-5);
        var original = QueueMessages.Received(AliceRequest, messageId: "sec-4821", enqueuedAt: firstArrival);
        var before = DateTimeOffset.UtcNow;

        var (first, firstPort) = await env.HandleAsync(original);

        Assert.Equal(Kind.Complete, firstPort.Only.Kind);
        Assert.Equal(1, first.FollowUps);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        var retry = Assert.Single(env.Sender.Sent);
        Assert.NotNull(retry.ScheduledFor);
        Assert.InRange(retry.ScheduledFor!.Value, before.AddSeconds(30), DateTimeOffset.UtcNow.AddSeconds(30 * 1.2 + 1));
        Assert.NotEqual("sec-4821", retry.Message.MessageId);
        Assert.Equal("application/json", retry.Message.ContentType);
        Assert.Equal(original.Body.ToArray(), retry.Message.Body.ToArray());
        var properties = retry.Message.ApplicationProperties;
        Assert.Equal(2, properties[QueueProperties.Attempt]);
        Assert.Equal("sec-4821", properties[QueueProperties.OriginalMessageId]);
        Assert.Equal("sec-4821", properties[QueueProperties.RequestId]);
        Assert.Equal(firstArrival, DateTimeOffset.Parse((string)properties[QueueProperties.FirstEnqueuedUtc], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("UserPrincipalName:alice@contoso.com", properties[QueueProperties.PendingTargets]);

        var (second, secondPort) = await env.HandleAsync(QueueMessages.Delivered(retry));

        Assert.Equal(Kind.Complete, secondPort.Only.Kind);
        Assert.Equal(0, second.FollowUps);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Single(env.Sender.Sent);
    }

    [Fact]
    public async Task A_failure_that_outlasts_the_attempts_is_dead_lettered_TransientExhausted_with_the_last_error()
    {
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "3" });
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        var message = QueueMessages.Received(AliceRequest, messageId: "sec-77");

        var settlements = new List<SettlementCall>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var (_, port) = await env.HandleAsync(message);
            settlements.Add(port.Only);
            if (attempt < 3)
                message = QueueMessages.Delivered(env.Sender.Sent[^1]);
        }

        Assert.Equal([Kind.Complete, Kind.Complete, Kind.DeadLetter], settlements.Select(s => s.Kind));
        Assert.Equal(2, env.Sender.Sent.Count);
        var deadLetter = settlements[^1];
        Assert.Equal(nameof(ReasonCode.TransientExhausted), deadLetter.Reason);
        Assert.Contains("3 attempts", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("503", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains(nameof(ReasonCode.GraphUnavailable), deadLetter.Description, StringComparison.Ordinal);
        Assert.Equal(3, deadLetter.Properties[QueueProperties.Attempt]);
        Assert.Equal("sec-77", deadLetter.Properties[QueueProperties.OriginalMessageId]);
        Assert.Equal(FixtureUsers.Alice, deadLetter.Properties[QueueProperties.UserIds]);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_resubmitted_rounds_retries_get_MessageIds_that_duplicate_detection_cannot_confuse_with_the_first_rounds()
    {
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "2" });
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        var original = QueueMessages.Received(AliceRequest, messageId: "sec-78");
        await env.HandleAsync(original);
        var (_, lastPort) = await env.HandleAsync(QueueMessages.Delivered(env.Sender.Sent[^1]));
        Assert.Equal(Kind.DeadLetter, lastPort.Only.Kind);
        var firstRound = env.Sender.Sent.Select(s => s.Message.MessageId).ToList();

        // The operator resubmits after Graph recovers only partly: the new round still needs a retry.
        var resubmitted = QueueMessages.Resubmitted(original, lastPort.Only);
        await env.HandleAsync(resubmitted);
        var secondRoundRetry = env.Sender.Sent[^1];

        Assert.Equal(2, secondRoundRetry.Message.ApplicationProperties[QueueProperties.Attempt]);
        Assert.DoesNotContain(secondRoundRetry.Message.MessageId, firstRound);
        Assert.StartsWith("sec-78/", secondRoundRetry.Message.MessageId, StringComparison.Ordinal);

        // The round's own last attempt ends it as the first round ended: dead-lettered, nothing lost in between.
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(secondRoundRetry));
        Assert.Equal(Kind.DeadLetter, port.Only.Kind);
        Assert.Equal(nameof(ReasonCode.TransientExhausted), port.Only.Reason);
    }

    [Fact]
    public async Task A_longer_Retry_After_from_Graph_is_honoured_over_the_backoff()
    {
        // No SDK retries, so Graph's 429 and its Retry-After reach the pipeline as they are.
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?> { ["Graph:MaxRetries"] = "0" });
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 429, RetryAfterSeconds = 1200 });
        var before = DateTimeOffset.UtcNow;

        var (_, port) = await env.HandleAsync(QueueMessages.Received(AliceRequest));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        var retry = Assert.Single(env.Sender.Sent);
        Assert.True(retry.ScheduledFor >= before.AddSeconds(1200), $"scheduled for {retry.ScheduledFor:O}");
    }

    [Fact]
    public async Task Several_users_in_one_message_retry_only_the_unfinished_and_dead_letter_only_the_impossible()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = $"{FixtureUsers.Bob}/revokeSignInSessions", StatusCode = 503 });
        var original = QueueMessages.Received(
            """{"requests":[{"user":"alice@contoso.com"},{"user":"nobody@contoso.com"},{"user":"bob.kowalski@contoso.com"}]}""",
            messageId: "incident-3");

        var (_, port) = await env.HandleAsync(original);

        // Alice is done; Bob travels on in a retry; the unknown user stays with the original, dead-lettered.
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Bob));
        var retry = Assert.Single(env.Sender.Sent);
        Assert.Equal("UserPrincipalName:bob.kowalski@contoso.com", retry.Message.ApplicationProperties[QueueProperties.PendingTargets]);
        var deadLetter = port.Only;
        Assert.Equal(Kind.DeadLetter, deadLetter.Kind);
        Assert.Equal(nameof(ReasonCode.UserNotFound), deadLetter.Reason);
        Assert.Equal("UserPrincipalName:nobody@contoso.com", deadLetter.Properties[QueueProperties.PendingTargets]);
        Assert.Contains("1 of 3 users", deadLetter.Description, StringComparison.Ordinal);
        Assert.Contains("nobody@contoso.com", deadLetter.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", deadLetter.Description, StringComparison.Ordinal);

        env.Sandbox.ClearFaults();
        var (_, retryPort) = await env.HandleAsync(QueueMessages.Delivered(retry));

        Assert.Equal(Kind.Complete, retryPort.Only.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Bob));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));

        // The operator resubmits the dead-lettered message: only the user it lists is tried again.
        env.Sandbox.ResetRecording();
        var (_, resubmitPort) = await env.HandleAsync(QueueMessages.Resubmitted(original, deadLetter));

        Assert.Equal(nameof(ReasonCode.UserNotFound), resubmitPort.Only.Reason);
        Assert.Equal(1, resubmitPort.Only.Properties[QueueProperties.Attempt]);
        Assert.All(env.Sandbox.Requests, r => Assert.Contains("nobody", r.Path + r.Filter, StringComparison.Ordinal));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Cancellation_during_processing_abandons_the_message_and_never_completes_it()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "GET", Delay = TimeSpan.FromSeconds(20) });
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(AliceRequest, messageId: "hr-9"), shutdown.Token);

        var abandon = port.Only;
        Assert.Equal(Kind.Abandon, abandon.Kind);
        Assert.Equal(QueueSettlementKind.Abandoned, settlement.Kind);
        Assert.Equal("hr-9", abandon.Properties[QueueProperties.RequestId]);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sender.Sent);
    }

    [Fact]
    public async Task When_the_retry_cannot_be_sent_the_message_is_abandoned_not_completed()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        env.Sender.FailSends();

        var (_, port) = await env.HandleAsync(QueueMessages.Received(AliceRequest));

        Assert.Equal(Kind.Abandon, port.Only.Kind);
        Assert.Equal(1, env.Sender.Refused);
    }

    [Fact]
    public async Task An_unexpected_failure_inside_the_pipeline_is_retried_as_transient_then_exhausted_naming_it()
    {
        await using var env = await QueueTestEnvironment.StartAsync(
            new Dictionary<string, string?> { ["Queue:MaxAttempts"] = "2" },
            replace: services => services.AddSingleton<IUserDirectory>(new BrokenDirectory()));
        var message = QueueMessages.Received(AliceRequest);

        var (_, first) = await env.HandleAsync(message);
        var retry = Assert.Single(env.Sender.Sent);
        var (_, second) = await env.HandleAsync(QueueMessages.Delivered(retry));

        Assert.Equal(Kind.Complete, first.Only.Kind);
        Assert.Equal(Kind.DeadLetter, second.Only.Kind);
        Assert.Equal(nameof(ReasonCode.TransientExhausted), second.Only.Reason);
        Assert.Contains("InvalidOperationException", second.Only.Description, StringComparison.Ordinal);
        Assert.Contains("directory cache unreachable", second.Only.Description, StringComparison.Ordinal);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    /// <summary>A dependency failing in a way the pipeline does not classify, as a storage outage would.</summary>
    private sealed class BrokenDirectory : IUserDirectory
    {
        public Task<UserLookup> FindAsync(UserIdentifier identifier, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("directory cache unreachable");
    }

    public static TheoryData<string, byte[], string?> BadBodies => new()
    {
        { "malformed", Encoding.UTF8.GetBytes("""{"user":"alice@contoso.com"""), "application/json" },
        { "empty", [], "application/json" },
        { "not JSON content type", Encoding.UTF8.GetBytes(AliceRequest), "text/plain" },
        { "form content type", Encoding.UTF8.GetBytes("user=alice%40contoso.com"), "application/x-www-form-urlencoded" },
        { "UTF-16 body", Encoding.Unicode.GetBytes(AliceRequest), "application/json" },
        { "UTF-16 with BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(AliceRequest)], null },
        { "UTF-16 charset", Encoding.UTF8.GetBytes(AliceRequest), "application/json; charset=utf-16" },
        { "Latin-1 bytes", Encoding.Latin1.GetBytes("""{"user":"alice@contoso.com","reason":"Zugriff gesperrt für Alice"}"""), "application/json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bodies_that_are_not_UTF8_JSON_are_InvalidPayload_dead_letters_and_reach_no_Graph(string what, byte[] body, string? contentType)
    {
        await using var env = await QueueTestEnvironment.StartAsync();

        var (_, port) = await env.HandleAsync(QueueMessages.Received(body, contentType));

        Assert.Equal(Kind.DeadLetter, port.Only.Kind);
        Assert.Equal(nameof(ReasonCode.InvalidPayload), port.Only.Reason);
        Assert.False(string.IsNullOrWhiteSpace(port.Only.Description), what);
        Assert.Empty(env.Sandbox.Requests);
        Assert.Empty(env.Sender.Sent);
    }

    [Fact]
    public async Task A_future_leaver_is_scheduled_for_the_effective_date_completed_and_revoked_when_it_comes_back()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await QueueTestEnvironment.StartAsync(time: clock);
        var due = new DateTimeOffset(2099, 12, 31, 17, 0, 0, TimeSpan.Zero);
        var body = File.ReadAllBytes(TestPaths.Fixture("edge/hr-leaver-future-date.json"));

        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(body, messageId: "c0ddc9d9-0076-4e65-a7e3-2b9dc2f9a76b", enqueuedAt: clock.Now));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(1, settlement.FollowUps);
        var scheduled = Assert.Single(env.Sender.Sent);
        Assert.Equal(due, scheduled.ScheduledFor);
        Assert.Equal("deferred", scheduled.Message.Subject);
        Assert.Equal(1, scheduled.Message.ApplicationProperties[QueueProperties.Attempt]);
        Assert.Equal(0, env.Sandbox.TotalRevocations);

        clock.Now = due.AddSeconds(1);
        var (_, duePort) = await env.HandleAsync(QueueMessages.Delivered(scheduled));

        Assert.Equal(Kind.Complete, duePort.Only.Kind);
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Single(env.Sender.Sent);
    }

    [Fact]
    public async Task A_MessageId_that_is_not_a_plain_token_becomes_a_stable_GUID_request_ID()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        const string messageId = "workday/leaver?id=42 & more";

        var (_, first) = await env.HandleAsync(QueueMessages.Received("""{"user":"nobody@contoso.com"}""", messageId: messageId));
        var (_, again) = await env.HandleAsync(QueueMessages.Received("""{"user":"nobody@contoso.com"}""", messageId: messageId));

        var requestId = (string)first.Only.Properties[QueueProperties.RequestId];
        Assert.True(Guid.TryParse(requestId, out _), requestId);
        Assert.Equal(requestId, again.Only.Properties[QueueProperties.RequestId]);
        Assert.Equal(messageId, first.Only.Properties[QueueProperties.OriginalMessageId]);
    }
}
