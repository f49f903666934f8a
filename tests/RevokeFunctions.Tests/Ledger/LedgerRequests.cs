using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Ledger;

/// <summary>The requests and contexts the ledger tests send, and a pipeline over a chosen ledger.</summary>
public static class LedgerRequests
{
    public static ReadOnlyMemory<byte> Native(string user = "alice@contoso.com") =>
        Encoding.UTF8.GetBytes($$"""{"user":"{{user}}","reason":"phishing","requestedBy":"tessa.morgan@contoso.com"}""");

    /// <summary>A queue delivery: the MessageId is the idempotency key and the request ID is stable across deliveries.</summary>
    public static RevocationContext Queued(string messageId, DateTimeOffset? receivedAt = null) =>
        new(messageId, RequestChannel.Queue, receivedAt ?? DateTimeOffset.UtcNow) { IdempotencyKey = messageId, Requester = "queue:hr" };

    /// <summary>A request with no idempotency key of its own.</summary>
    public static RevocationContext Fresh(DateTimeOffset? receivedAt = null) =>
        new(Guid.NewGuid().ToString("D"), RequestChannel.Http, receivedAt ?? DateTimeOffset.UtcNow)
        {
            // A responder signed in with the submit role: a person, as the HTTP function would classify them.
            Requester = "responder@contoso.com",
            CallerIsPerson = true,
        };

    public static string NewKey() => "msg-" + Guid.NewGuid().ToString("N");

    /// <summary>The app's pipeline, with everything from <paramref name="env"/> but this ledger.</summary>
    public static RevocationPipeline PipelineWith(TestEnvironment env, IRevocationLedger ledger) =>
        ActivatorUtilities.CreateInstance<RevocationPipeline>(env.Services, ledger);

    public static int Posts(TestEnvironment env) =>
        env.Sandbox.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/revokeSignInSessions", StringComparison.Ordinal));
}
