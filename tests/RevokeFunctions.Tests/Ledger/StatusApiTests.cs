using System.Text;
using System.Text.Json;
using RevokeFunctions.Tests.Infrastructure;
using static RevokeFunctions.Tests.Ledger.LedgerRequests;

namespace RevokeFunctions.Tests.Ledger;

/// <summary><c>GET /api/revocations/{requestId}</c> through the real function class and the ledger on Azurite.</summary>
public sealed class StatusApiTests
{
    [Fact]
    public async Task Reading_status_needs_the_same_caller_authorization_as_submitting()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        await env.Pipeline.ProcessAsync(Encoding.UTF8.GetBytes("""{"user":"bob.kowalski@contoso.com"}"""), context, CancellationToken.None);

        var anonymous = await LedgerHttp.GetStatusAsAsync(env, null, context.RequestId);
        var withoutRole = await LedgerHttp.GetStatusAsAsync(env, HttpCall.Principal("Some.Other.Role"), context.RequestId);

        Assert.Equal(401, anonymous.Status);
        Assert.Equal("urn:revokefunctions:problem:unauthenticated", anonymous.Body.GetProperty("type").GetString());
        Assert.Equal(403, withoutRole.Status);
        Assert.False(anonymous.Body.TryGetProperty("targets", out _));
        Assert.False(withoutRole.Body.TryGetProperty("targets", out _));
    }

    [Fact]
    public async Task A_known_request_lists_each_target_with_state_outcome_source_and_times()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var body = Encoding.UTF8.GetBytes("""{"requests":[{"user":"bob.kowalski@contoso.com","reason":"token theft"},{"user":"nobody@contoso.com"}]}""");
        await env.Pipeline.ProcessAsync(body, context, CancellationToken.None);

        var response = await LedgerHttp.GetStatusAsync(env, context.RequestId);

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(context.RequestId, response.Body.GetProperty("requestId").GetString());
        var targets = response.Body.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(["bob.kowalski@contoso.com", "nobody@contoso.com"], targets.Select(t => t.GetProperty("user").GetString()));

        var bob = targets[0];
        Assert.Equal(FixtureUsers.Bob, bob.GetProperty("userId").GetString());
        Assert.Equal(("Revoked", "Revoked"), (bob.GetProperty("state").GetString(), bob.GetProperty("outcome").GetString()));
        Assert.Equal(JsonValueKind.Null, bob.GetProperty("reason").ValueKind);
        Assert.Equal("native", bob.GetProperty("source").GetProperty("kind").GetString());
        Assert.Equal("responder@contoso.com", bob.GetProperty("requester").GetString());
        Assert.Equal(1, bob.GetProperty("attempts").GetInt32());
        Assert.Equal(context.RequestId, bob.GetProperty("firstRequestId").GetString());
        var created = bob.GetProperty("createdAt").GetDateTimeOffset();
        Assert.InRange(created, started, bob.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.Equal(context.ReceivedAt, bob.GetProperty("eventTime").GetDateTimeOffset());

        var nobody = targets[1];
        Assert.Equal(("NotFound", "UserNotFound"), (nobody.GetProperty("state").GetString(), nobody.GetProperty("reason").GetString()));
        Assert.Equal(0, nobody.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task An_incident_shows_its_source_reference()
    {
        await using var env = await TestEnvironment.StartAsync();
        var context = Fresh();
        await env.Pipeline.ProcessAsync(await File.ReadAllBytesAsync(TestPaths.Fixture("valid/sentinel-incident.json")), context, CancellationToken.None);

        var response = await LedgerHttp.GetStatusAsync(env, context.RequestId);

        var source = response.Body.GetProperty("targets")[0].GetProperty("source");
        Assert.Equal("4821", source.GetProperty("number").GetString());
        Assert.Equal("High", source.GetProperty("severity").GetString());
        Assert.StartsWith("https://", source.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(source.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_unknown_request_is_404_problem_details()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await LedgerHttp.GetStatusAsync(env, Guid.NewGuid().ToString("D"));

        Assert.Equal(404, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("urn:revokefunctions:problem:revocation-not-found", response.Body.GetProperty("type").GetString());
        Assert.Equal(404, response.Body.GetProperty("status").GetInt32());
        Assert.Contains("retention", response.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a request id")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("a'or'1'eq'1")]
    [InlineData("---")]
    [InlineData("")]
    public async Task A_malformed_request_ID_is_400_problem_details_without_a_ledger_query(string requestId)
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await LedgerHttp.GetStatusAsync(env, requestId);

        Assert.Equal(400, response.Status);
        Assert.Equal("urn:revokefunctions:problem:malformed-request-id", response.Body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_request_ID_longer_than_100_characters_is_malformed()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await LedgerHttp.GetStatusAsync(env, new string('a', 101));

        Assert.Equal(400, response.Status);
    }
}
