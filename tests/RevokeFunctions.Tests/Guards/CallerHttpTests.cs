using System.Text;
using System.Text.Json;
using RevokeFunctions.App.Http;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Guards;

/// <summary>Caller identity on <c>POST /api/revocations</c>, through the real function, pipeline, sandbox and ledger.</summary>
public sealed class CallerHttpTests
{
    private const string CeoGroup = ProtectedAccountPolicyTests.CeoGroup;

    private static void AssertNothingDone(TestEnvironment env) => Assert.Empty(env.Sandbox.Requests);

    [Fact]
    public async Task No_principal_is_401_problem_details_and_nothing_is_read_or_revoked()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsAsync(env, null, """{"user":"alice@contoso.com"}""");

        Assert.Equal(401, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal("urn:revokefunctions:problem:unauthenticated", response.Body.GetProperty("type").GetString());
        Assert.Equal(401, response.Body.GetProperty("status").GetInt32());
        Assert.Contains(CallerAuthorization.SubmitRole, response.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WWWAuthenticate.ToString());
        AssertNothingDone(env);
    }

    [Fact]
    public async Task A_garbage_principal_is_401()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsAsync(env, "eyJub3QiOiJhIHByaW5jaXBhbCJ9", """{"user":"alice@contoso.com"}""");

        Assert.Equal(401, response.Status);
        AssertNothingDone(env);
    }

    [Fact]
    public async Task A_principal_without_the_submit_role_is_403_problem_details()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsAsync(env, HttpCall.Principal("Reports.Read"), """{"user":"alice@contoso.com"}""");

        Assert.Equal(403, response.Status);
        Assert.Equal("urn:revokefunctions:problem:caller-forbidden", response.Body.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(response.Body.GetProperty("requestId").GetString()));
        AssertNothingDone(env);
    }

    [Fact]
    public async Task The_ledger_records_the_principal_as_requester_and_requestedBy_only_as_a_note()
    {
        await using var env = await TestEnvironment.StartAsync();

        var response = await HttpCall.PostAsync(env, """{"user":"alice@contoso.com","requestedBy":"ruth.ellison@contoso.com"}""");

        Assert.Equal(200, response.Status);
        var row = Assert.Single(await env.Ledger.ListAsync(response.Body.GetProperty("requestId").GetString()!, CancellationToken.None));
        Assert.Equal(HttpCall.Requester, row.Requester);
        Assert.Equal("ruth.ellison@contoso.com", row.RequestedByNote);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Ruth));
    }

    [Fact]
    public async Task An_app_only_caller_with_the_submit_and_protected_roles_is_automation_storm_guarded_and_refused_protected_accounts()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?>
        {
            ["Guards:StormGuard:MaxUsers"] = "1",
            ["Guards:ProtectedGroups:0"] = CeoGroup,
        });
        var app = HttpCall.AppPrincipal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole);

        var burst = await HttpCall.PostAsAsync(env, app, """{"requests":[{"user":"alice@contoso.com"},{"user":"grace.kim@contoso.com"}]}""");
        var ceo = await HttpCall.PostAsAsync(env, app, """{"user":"ruth.ellison@contoso.com"}""");

        Assert.Equal(207, burst.Status);
        Assert.Equal(["Revoked", "Refused"], burst.Body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal(403, ceo.Status);
        Assert.Equal("ProtectedAccount", ceo.Body.GetProperty("reasonCode").GetString());
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Ruth));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task With_platform_authentication_off_a_principal_header_is_401_authentication_not_configured()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["WEBSITE_AUTH_ENABLED"] = null });
        var forged = HttpCall.Principal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole);

        var response = await HttpCall.PostAsAsync(env, forged, """{"user":"ruth.ellison@contoso.com"}""");

        Assert.Equal(401, response.Status);
        Assert.Equal("urn:revokefunctions:problem:authentication-not-configured", response.Body.GetProperty("type").GetString());
        AssertNothingDone(env);
    }

    [Fact]
    public async Task A_person_in_the_native_format_is_not_storm_guarded_but_an_alert_relayed_by_the_same_person_is()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:StormGuard:MaxUsers"] = "1" });

        var native = await HttpCall.PostAsync(env, """{"requests":[{"user":"user001@contoso.com"},{"user":"user002@contoso.com"},{"user":"user003@contoso.com"}]}""");
        var incident = await HttpCall.PostAsync(env, File.ReadAllBytes(TestPaths.Fixture("valid/sentinel-incident.json")));

        Assert.Equal(200, native.Status);
        Assert.Equal(207, incident.Status);
        var outcomes = incident.Body.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("outcome").GetString(), r.GetProperty("reason").ValueKind == JsonValueKind.Null ? null : r.GetProperty("reason").GetString()))
            .ToList();
        Assert.Equal([("Revoked", null), ("Refused", "StormGuard")], outcomes);
        Assert.Equal(4, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Everyone_calling_without_the_protected_role_gets_403_for_a_protected_account()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });

        var response = await HttpCall.PostAsync(env, """{"user":"ruth.ellison@contoso.com"}""");

        Assert.Equal(403, response.Status);
        Assert.Equal("urn:revokefunctions:problem:protected-account", response.Body.GetProperty("type").GetString());
        Assert.Equal("ProtectedAccount", response.Body.GetProperty("reasonCode").GetString());
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_person_holding_the_protected_role_may_revoke_a_protected_account_and_that_is_recorded()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var principal = HttpCall.Principal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole);

        var response = await HttpCall.PostAsAsync(env, principal, """{"user":"ruth.ellison@contoso.com","reason":"confirmed compromise"}""");

        Assert.Equal(200, response.Status);
        var result = Assert.Single(response.Body.GetProperty("results").EnumerateArray());
        Assert.Equal("Revoked", result.GetProperty("outcome").GetString());
        Assert.Contains("Revocations.Protected", result.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Ruth));
        var row = Assert.Single(await env.Ledger.ListAsync(response.Body.GetProperty("requestId").GetString()!, CancellationToken.None));
        Assert.Equal(HttpCall.Requester, row.Requester);
        Assert.Contains("Revocations.Protected", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_protected_role_does_not_extend_to_an_alert_relayed_over_HTTP()
    {
        await using var env = await TestEnvironment.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedAccounts:0"] = "bob.kowalski@contoso.com" });
        var principal = HttpCall.Principal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole);

        var response = await HttpCall.PostAsAsync(env, principal, File.ReadAllBytes(TestPaths.Fixture("valid/sentinel-incident.json")));

        Assert.Equal(207, response.Status);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Bob));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Carmen));
    }

    [Fact]
    public async Task Neither_the_principal_header_nor_its_contents_reach_any_log()
    {
        await using var host = await GuardHost.StartAsync(new Dictionary<string, string?> { ["Guards:ProtectedGroups:0"] = CeoGroup });
        var principal = HttpCall.Principal(CallerAuthorization.SubmitRole, CallerAuthorization.ProtectedRole);
        var forbidden = HttpCall.Principal("Other.Role");

        foreach (var (header, body) in new[]
        {
            (principal, """{"user":"ruth.ellison@contoso.com"}"""),
            (principal, """{"user":"nobody@contoso.com"}"""),
            (forbidden, """{"user":"alice@contoso.com"}"""),
            ("bm90IGEgcHJpbmNpcGFs", """{"user":"alice@contoso.com"}"""),
        })
        {
            var response = await HttpCall.PostAsAsync(host.Services, header, Encoding.UTF8.GetBytes(body));
            Assert.True(response.Status < 500, response.Body.ToString());
        }

        var text = string.Join("\n", host.Logs.Entries.Select(e => e.Message + e.Exception));
        Assert.NotEmpty(host.Logs.Entries);
        Assert.DoesNotContain(principal, text, StringComparison.Ordinal);
        Assert.DoesNotContain(forbidden, text, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEgcHJpbmNpcGFs", text, StringComparison.Ordinal);
        Assert.DoesNotContain("auth_typ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientPrincipal.HeaderName, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, host.Logs.Entries.Count(e => e.EventId.Id == 62));
    }
}
