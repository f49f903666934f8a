using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>
/// Requests through the real pipeline, turned into the outcome an entry point would hand the write-back: the HTTP
/// function's (unfinished targets queued) or the queue handler's (copies sent, the rest dead-lettered).
/// </summary>
public static class WriteBackScenario
{
    public const string IncidentCommentsPath =
        "/subscriptions/49c9cbfb-7d2c-4d69-b9a1-1bcddd801bdb/resourceGroups/rg-soc-prod/providers/Microsoft.OperationalInsights"
        + "/workspaces/law-contoso-sentinel/providers/Microsoft.SecurityInsights/incidents/3dfb8416-4ba6-42a3-be8d-40e3ca6dcd58/comments/";

    public const string AlertId = "da895598354856096485_-130712554";

    public static byte[] SentinelIncident() => File.ReadAllBytes(TestPaths.Fixture("valid/sentinel-incident.json"));

    public static byte[] DefenderAlert() => File.ReadAllBytes(TestPaths.Fixture("valid/defender-xdr-alert.json"));

    /// <summary>The Sentinel incident fixture with a change made to its JSON.</summary>
    public static byte[] SentinelIncident(Action<JsonObject> change)
    {
        var incident = JsonNode.Parse(SentinelIncident())!.AsObject();
        change(incident);
        return Encoding.UTF8.GetBytes(incident.ToJsonString());
    }

    public static byte[] Native(params string[] users) =>
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { requests = users.Select(u => new { user = u, reason = "phishing" }) }));

    /// <summary>An automated caller over HTTP (a playbook): storm-guarded, may not revoke protected accounts.</summary>
    public static RevocationContext Automated() => new(Guid.NewGuid().ToString("D"), RequestChannel.Http, DateTimeOffset.UtcNow);

    /// <summary>A responder over HTTP holding <c>Revocations.Submit</c> (and <c>Revocations.Protected</c> when asked).</summary>
    public static RevocationContext Person(bool mayRevokeProtected = false) =>
        new(Guid.NewGuid().ToString("D"), RequestChannel.Http, DateTimeOffset.UtcNow)
        {
            Requester = HttpCall.Requester,
            CallerIsPerson = true,
            MayRevokeProtected = mayRevokeProtected,
        };

    /// <summary>A queue delivery of <paramref name="messageId"/>.</summary>
    public static RevocationContext Queued(string messageId) =>
        new(messageId, RequestChannel.Queue, DateTimeOffset.UtcNow) { IdempotencyKey = messageId };

    /// <summary>What the HTTP function hands the write-back: the unfinished targets are queued.</summary>
    public static async Task<RequestOutcome> OverHttpAsync(WriteBackHost host, byte[] body, RevocationContext context)
    {
        var result = await host.Pipeline.ProcessAsync(body, context, CancellationToken.None);
        if (result.Error is not null)
            return new RequestOutcome(context, result);
        var envelope = new RevocationEnvelope(context.RequestId, context.IdempotencyKey ?? context.RequestId, context.ReceivedAt, 1, []);
        var plan = host.Services.GetRequiredService<FollowUpPlanner>()
            .Plan(result, new QueueWork(BinaryData.FromBytes(body), envelope) { SubjectPrefix = "http-" });
        return RequestOutcome.ForHttp(context, result, plan.FollowUps);
    }

    /// <summary>What the queue handler hands the write-back: its settlement plan decides what is pending and what is dead-lettered.</summary>
    public static async Task<RequestOutcome> OverQueueAsync(WriteBackHost host, byte[] body, RevocationContext context, int attempt = 1)
    {
        var result = await host.Pipeline.ProcessAsync(body, context, CancellationToken.None);
        var envelope = new RevocationEnvelope(context.RequestId, context.IdempotencyKey ?? context.RequestId, context.ReceivedAt, attempt, []);
        var plan = result.Error is { } error
            ? new SettlementPlan([], FollowUpPlanner.ForPayload(error, envelope))
            : host.Services.GetRequiredService<FollowUpPlanner>().Plan(result, new QueueWork(BinaryData.FromBytes(body), envelope));
        return RequestOutcome.ForQueue(context, result, plan);
    }

    /// <summary>
    /// What the entry point and then the delivery timer do: record the outcome in the outbox, then deliver what is due.
    /// <see cref="WriteBackReport.Nothing"/> when nothing new was recorded, so nothing was delivered.
    /// </summary>
    public static async Task<WriteBackReport> DispatchAsync(WriteBackHost host, RequestOutcome outcome)
    {
        if (await host.Outbox.RecordAsync(outcome, CancellationToken.None) is not { } key)
            return WriteBackReport.Nothing;
        var reports = await host.DeliverAsync();
        return reports.SingleOrDefault(r => r.Key == key.Value) ?? WriteBackReport.Nothing;
    }

    /// <summary>The message of an ARM comment PUT.</summary>
    public static string CommentMessage(StandInRequest put)
    {
        using var body = JsonDocument.Parse(put.Body);
        return body.RootElement.GetProperty("properties").GetProperty("message").GetString()!;
    }
}
