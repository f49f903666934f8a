using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Http;

/// <summary>The HTTP trigger resolved from the app's real composition, against the Graph sandbox.</summary>
public sealed class SubmitRevocationFunctionTests
{
    [Fact]
    public async Task A_plain_request_revokes_the_sandbox_user_and_answers_200_naming_the_object_ID()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, File.ReadAllText(TestPaths.Fixture("valid/plain-request-upn.json")));

        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        var result = Assert.Single(response.Body.GetProperty("results").EnumerateArray());
        Assert.Equal("alice@contoso.com", result.GetProperty("user").GetString());
        Assert.Equal(FixtureUsers.Alice, result.GetProperty("userId").GetString());
        Assert.Equal("Revoked", result.GetProperty("outcome").GetString());
        Assert.Contains("Continuous Access Evaluation", response.Body.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Tessa));
    }

    [Theory]
    [InlineData("invalid/empty.json", 400, "empty-body")]
    [InlineData("invalid/truncated.json", 400, "malformed-json")]
    [InlineData("invalid/duplicate-keys.json", 400, "duplicate-property")]
    [InlineData("invalid/wrong-type.json", 422, "schema-violation")]
    [InlineData("invalid/missing-user.json", 422, "schema-violation")]
    [InlineData("invalid/unknown-schema.json", 422, "unknown-schema")]
    [InlineData("invalid/injection-user.json", 422, "invalid-user-identifier")]
    [InlineData("invalid/control-characters.json", 422, "invalid-user-identifier")]
    [InlineData("invalid/oversized-user.json", 422, "invalid-user-identifier")]
    public async Task Bad_bodies_get_problem_details_and_revoke_nobody(string file, int status, string type)
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, File.ReadAllBytes(TestPaths.Fixture(file)));

        Assert.Equal(status, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("urn:revokefunctions:problem:" + type, response.Body.GetProperty("type").GetString());
        Assert.Equal(status, response.Body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(response.Body.GetProperty("detail").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(response.Body.GetProperty("requestId").GetString()));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task Form_encoded_text_is_415()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, File.ReadAllBytes(TestPaths.Fixture("invalid/not-json.txt")), "application/x-www-form-urlencoded");

        Assert.Equal(415, response.Status);
        Assert.Equal("urn:revokefunctions:problem:unsupported-media-type", response.Body.GetProperty("type").GetString());
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/json; charset=utf-16")]
    public async Task Missing_or_non_JSON_content_types_are_415(string? contentType)
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, """{"user":"alice@contoso.com"}""", contentType);

        Assert.Equal(415, response.Status);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_body_over_the_cap_is_413_without_being_parsed()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Limits:MaxBodyBytes"] = "4096" });
        var body = "{\"user\":\"alice@contoso.com\",\"reason\":\"" + new string('x', 5000) + "\"}";

        var response = await HttpCall.PostAsync(env, body);

        Assert.Equal(413, response.Status);
        Assert.Equal("urn:revokefunctions:problem:body-too-large", response.Body.GetProperty("type").GetString());
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task An_unknown_user_is_404_problem()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, """{"user":"nobody@contoso.com"}""");

        Assert.Equal(404, response.Status);
        Assert.Equal("UserNotFound", response.Body.GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task Graph_forbidden_is_502_naming_the_permission()
    {
        await using var env = await TestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 403 });

        var response = await HttpCall.PostAsync(env, """{"user":"alice@contoso.com"}""");

        Assert.Equal(502, response.Status);
        Assert.Equal("GraphForbidden", response.Body.GetProperty("reasonCode").GetString());
        Assert.Contains("User.RevokeSessions.All", response.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_guest_is_a_422_problem_with_advice()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, File.ReadAllText(TestPaths.Fixture("edge/guest-user-ext-upn.json")));

        Assert.Equal(422, response.Status);
        Assert.Equal("GuestUser", response.Body.GetProperty("reasonCode").GetString());
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Mixed_results_are_207_with_each_outcome()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, """{"requests":[{"user":"alice@contoso.com"},{"user":"nobody@contoso.com"}]}""");

        Assert.Equal(207, response.Status);
        var outcomes = response.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString());
        Assert.Equal(["Revoked", "NotFound"], outcomes);
    }

    [Fact]
    public async Task DryRun_in_the_query_revokes_nothing()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, """{"user":"alice@contoso.com"}""", query: "?dryRun=true");

        Assert.Equal(200, response.Status);
        Assert.Equal("WouldRevoke", response.Body.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }
}
