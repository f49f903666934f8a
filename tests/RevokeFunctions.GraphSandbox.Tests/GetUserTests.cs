using System.Net;
using System.Text.Json;
using RevokeFunctions.GraphSandbox.Tests.Infrastructure;

namespace RevokeFunctions.GraphSandbox.Tests;

public sealed class GetUserTests(SharedSandboxFixture fixture) : IClassFixture<SharedSandboxFixture>
{
    private readonly SandboxSession sandbox = fixture.Session;

    [Theory]
    [InlineData("e322f459-1f7e-41e3-b903-5ceb208d9205")]
    [InlineData("E322F459-1F7E-41E3-B903-5CEB208D9205")]
    [InlineData("{E322F459-1F7E-41E3-B903-5CEB208D9205}")]
    [InlineData("%7Be322f459-1f7e-41e3-b903-5ceb208d9205%7D")]
    [InlineData("e322f4591f7e41e3b9035ceb208d9205")]
    public async Task Get_by_id_accepts_any_guid_form(string key)
    {
        using var response = await sandbox.GetAsync($"users/{key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await SandboxSession.ReadJsonAsync(response);
        Assert.Equal(FixtureUsers.AliceId, user.GetProperty("id").GetString());
        Assert.Equal(FixtureUsers.AliceUpn, user.GetProperty("userPrincipalName").GetString());
    }

    [Theory]
    [InlineData("ALICE@Contoso.COM")]
    [InlineData("alice%40contoso.com")]
    public async Task Get_by_upn_is_case_insensitive_and_decodes_the_key(string key)
    {
        using var response = await sandbox.GetAsync($"users/{key}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FixtureUsers.AliceId, (await SandboxSession.ReadJsonAsync(response)).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Get_guest_by_percent_encoded_upn()
    {
        using var response = await sandbox.GetAsync("users/jo.smith_fabrikam.com%23EXT%23%40contoso.onmicrosoft.com?$select=id,userType,employeeId,mail");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await SandboxSession.ReadJsonAsync(response);
        Assert.Equal(FixtureUsers.GuestJoId, user.GetProperty("id").GetString());
        Assert.Equal("Guest", user.GetProperty("userType").GetString());
        Assert.Equal(JsonValueKind.Null, user.GetProperty("employeeId").ValueKind);
        Assert.Equal("jo.smith@fabrikam.com", user.GetProperty("mail").GetString());
    }

    [Fact]
    public async Task Get_internationalized_domain_user_by_its_ascii_upn()
    {
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.LenaIdnUpn}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FixtureUsers.LenaIdnUpn, (await SandboxSession.ReadJsonAsync(response)).GetProperty("userPrincipalName").GetString());
    }

    [Fact]
    public async Task A_double_encoded_key_is_decoded_only_once()
    {
        using var response = await sandbox.GetAsync("users/alice%2540contoso.com");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("$select=userType,accountEnabled,signInSessionsValidFromDateTime")]
    [InlineData("%24select=userType%2CaccountEnabled%2CsignInSessionsValidFromDateTime")]
    [InlineData("$select=UserType, AccountEnabled ,signInSessionsValidFromDateTime")]
    public async Task Select_returns_exactly_the_selected_properties_plus_id(string query)
    {
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = await SandboxSession.ReadJsonAsync(response);
        Assert.Equal(
            ["@odata.context", "id", "userType", "accountEnabled", "signInSessionsValidFromDateTime"],
            user.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Member", user.GetProperty("userType").GetString());
        Assert.True(user.GetProperty("accountEnabled").GetBoolean());
        Assert.Equal("2026-01-01T00:00:00Z", user.GetProperty("signInSessionsValidFromDateTime").GetString());
    }

    [Fact]
    public async Task Without_select_the_answer_is_graphs_default_set()
    {
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.PaulMeyerUpn}");

        var user = await SandboxSession.ReadJsonAsync(response);
        Assert.Equal(["@odata.context", "id", "userPrincipalName", "mail"], user.EnumerateObject().Select(p => p.Name));
        Assert.Equal(FixtureUsers.PaulMeyerMail, user.GetProperty("mail").GetString());
    }

    [Fact]
    public async Task Select_of_a_graph_property_the_sandbox_does_not_model_answers_null()
    {
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}?$select=displayName,businessPhones");

        var user = await SandboxSession.ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Null, user.GetProperty("displayName").ValueKind);
        Assert.Equal(0, user.GetProperty("businessPhones").GetArrayLength());
    }

    [Theory]
    [InlineData("$select=nonsense")]
    [InlineData("$select=id,,mail")]
    [InlineData("$expand=memberOf")]
    [InlineData("$select=id&$select=mail")]
    public async Task Bad_query_options_are_refused_with_400(string query)
    {
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(await SandboxSession.ReadGraphErrorAsync(response), new[] { "BadRequest", "Request_UnsupportedQuery" });
    }

    [Fact]
    public async Task Unknown_user_is_a_graph_404_that_echoes_the_client_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("users/nobody@contoso.com", UriKind.Relative));
        request.Headers.Add("client-request-id", "6f0b6c1e-8a4c-4c3e-9d7e-2f1f6f0c0a11");
        using var response = await sandbox.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Request_ResourceNotFound", await SandboxSession.ReadGraphErrorAsync(response));
        Assert.Equal("6f0b6c1e-8a4c-4c3e-9d7e-2f1f6f0c0a11", SandboxSession.Header(response, "client-request-id"));
        Assert.True(Guid.TryParse(SandboxSession.Header(response, "request-id"), out _));
    }

    [Fact]
    public async Task Every_answer_carries_fresh_request_ids()
    {
        using var first = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");
        using var second = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}");

        Assert.True(Guid.TryParse(SandboxSession.Header(first, "client-request-id"), out _));
        Assert.NotEqual(SandboxSession.Header(first, "request-id"), SandboxSession.Header(second, "request-id"));
    }

    [Theory]
    [InlineData("users/x/photo")]
    [InlineData("groups")]
    [InlineData("users/x/revokeSignInSessions/extra")]
    public async Task Unknown_routes_are_graph_404s(string path)
    {
        using var response = await sandbox.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("UnknownRoute", await SandboxSession.ReadGraphErrorAsync(response));
    }

    [Fact]
    public async Task A_known_route_with_the_wrong_method_is_405_with_allow()
    {
        using var response = await sandbox.GetAsync($"users/{FixtureUsers.AliceId}/revokeSignInSessions");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        await SandboxSession.ReadGraphErrorAsync(response);
    }
}
