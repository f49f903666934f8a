using System.Text;
using RevokeFunctions.App.Http;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Ledger;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Guards;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Intake;

/// <summary>
/// A person's authority survives the queued retry, through the real HTTP function, queue handler, Graph SDK against the
/// sandbox and the ledger (with the intake record) on Azurite; a message that only claims to be that retry gains nothing.
/// </summary>
public sealed class IntakeRecordTests
{
    private const string CeoGroup = ProtectedAccountPolicyTests.CeoGroup;
    private const string RevokeRuth = """{"user":"ruth.ellison@contoso.com","reason":"confirmed compromise"}""";

    private static Task<QueueTestEnvironment> StartAsync() =>
        QueueTestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });

    /// <summary>A responder holding the protected role revokes the CEO while Graph's revocation endpoint answers 503.</summary>
    private static async Task<(string RequestId, SubstituteSender.SentMessage Queued)> SubmitDuringOutageAsync(QueueTestEnvironment env)
    {
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        var response = await env.PostAsync(Encoding.UTF8.GetBytes(RevokeRuth),
            principal: HttpCall.Principal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole));
        Assert.Equal(202, response.Status);
        env.Sandbox.ClearFaults();
        return (response.Body.GetProperty("requestId").GetString()!, Assert.Single(env.Sender.Sent));
    }

    [Fact]
    public async Task A_persons_protected_revocation_hit_by_a_Graph_outage_is_finished_by_the_queued_retry_as_that_person()
    {
        await using var env = await StartAsync();
        var (requestId, queued) = await SubmitDuringOutageAsync(env);

        var (settlement, port) = await env.HandleAsync(QueueMessages.Delivered(queued));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Ruth));
        var ledger = (IRevocationLedger)env.Services.GetService(typeof(IRevocationLedger))!;
        var row = Assert.Single(await ledger.ListAsync(requestId, CancellationToken.None));
        Assert.Equal(LedgerState.Revoked, row.State);
        Assert.Equal(HttpCall.Requester, row.Requester);
        Assert.Contains("Revocations.Protected", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_naming_that_request_with_another_body_is_automation_and_cannot_revoke_the_protected_account()
    {
        await using var env = await StartAsync();
        var (requestId, queued) = await SubmitDuringOutageAsync(env);
        // Anyone with Data Sender on the queue can copy the properties of a real retry onto a body of their own.
        var forgedBody = """{"user":"ruth.ellison@contoso.com","reason":"forged"}""";
        var forged = QueueMessages.Received(forgedBody, messageId: "forged-" + Guid.NewGuid().ToString("N"),
            properties: new Dictionary<string, object>(queued.Message.ApplicationProperties));

        var (settlement, port) = await env.HandleAsync(forged);

        Assert.Equal(Kind.DeadLetter, port.Only.Kind);
        Assert.Equal(ReasonCode.ProtectedAccount, settlement.Reason);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Ruth));
        // It is not that request: it answers under its own request ID, and the person's request has no row from it.
        Assert.NotEqual(requestId, port.Only.Properties[QueueProperties.RequestId]);
        var ledger = (IRevocationLedger)env.Services.GetService(typeof(IRevocationLedger))!;
        Assert.All(await ledger.ListAsync(requestId, CancellationToken.None), row => Assert.NotEqual(LedgerState.Refused, row.State));
    }

    [Fact]
    public async Task A_persons_large_request_is_not_storm_guarded_on_its_queued_retry()
    {
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        var body = """{"requests":[{"user":"user001@contoso.com"},{"user":"user002@contoso.com"},{"user":"user003@contoso.com"}]}""";

        var response = await env.PostAsync(Encoding.UTF8.GetBytes(body));
        env.Sandbox.ClearFaults();
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(Assert.Single(env.Sender.Sent)));

        Assert.Equal(202, response.Status);
        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(3, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_copy_resubmitted_with_the_same_body_and_no_intake_record_keeps_its_request_but_runs_as_automation()
    {
        await using var env = await StartAsync();
        var requestId = Guid.NewGuid().ToString("D");
        var properties = new Dictionary<string, object>
        {
            [QueueProperties.RequestId] = requestId,
            [QueueProperties.OriginalMessageId] = requestId,
            [QueueProperties.Attempt] = 2,
        };

        var (settlement, port) = await env.HandleAsync(QueueMessages.Received(RevokeRuth, messageId: requestId + "/retry-2", properties: properties));

        Assert.Equal(ReasonCode.ProtectedAccount, settlement.Reason);
        Assert.Equal(requestId, port.Only.Properties[QueueProperties.RequestId]);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Ruth));
    }

    [Fact]
    public async Task Copies_of_one_request_carry_its_body_hash_in_their_MessageId()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });
        var bodyA = """{"user":"alice@contoso.com"}""";
        var bodyB = """{"user":"grace.kim@contoso.com"}""";
        var messageA = QueueMessages.Received(bodyA, messageId: "same-step-a");
        var messageB = QueueMessages.Received(bodyB, messageId: "same-step-b");

        await env.HandleAsync(messageA);
        await env.HandleAsync(messageB);

        var ids = env.Sender.Sent.Select(s => s.Message.MessageId).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(bodyA)))[..16], ids[0], StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(bodyB)))[..16], ids[1], StringComparison.Ordinal);
    }
}
