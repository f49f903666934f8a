using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RevokeFunctions.Ledger;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Ledger;
using RevokeFunctions.Verification;

namespace RevokeFunctions.Tests.Verification;

/// <summary>The proof over HTTP: the answer does not wait for it, <c>GET /api/revocations/{id}</c> shows it once read back.</summary>
public sealed class StatusProofTests
{
    [Fact]
    public async Task The_answer_leaves_the_proof_null_and_the_status_api_shows_it_pending_then_verified()
    {
        await using var env = await TestEnvironment.StartAsync();

        var answer = await LedgerHttp.PostAsync(env, """{"user":"alice@contoso.com","reason":"phishing"}""");
        var requestId = answer.Body.GetProperty("requestId").GetString()!;
        var result = answer.Body.GetProperty("results")[0];
        Assert.Equal("Revoked", result.GetProperty("outcome").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("verified").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("sessionsValidFrom").ValueKind);
        var pending = (await LedgerHttp.GetStatusAsync(env, requestId)).Body.GetProperty("targets")[0];
        Assert.Equal("Pending", pending.GetProperty("verification").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pending.GetProperty("verified").ValueKind);

        // The timer's run one minute later, on a clock of its own: the check is due, the bound is not passed.
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1));
        var outbox = new VerificationOutbox(env.Services.GetRequiredService<TableServiceClient>(),
            env.Services.GetRequiredService<IOptions<LedgerOptions>>(), later);
        var verifier = ActivatorUtilities.CreateInstance<RevocationVerifier>(env.Services, outbox, (TimeProvider)later);
        Assert.Equal(VerificationState.Verified, Assert.Single(await verifier.VerifyDueAsync(CancellationToken.None)).State);

        var proven = (await LedgerHttp.GetStatusAsync(env, requestId)).Body.GetProperty("targets")[0];
        Assert.Equal("Verified", proven.GetProperty("verification").GetString());
        Assert.True(proven.GetProperty("verified").GetBoolean());
        Assert.True(proven.GetProperty("sessionsValidFrom").GetDateTimeOffset() >= proven.GetProperty("revokedAt").GetDateTimeOffset().AddSeconds(-1));
        Assert.Equal(later.GetUtcNow(), proven.GetProperty("verifiedAt").GetDateTimeOffset());
    }
}
