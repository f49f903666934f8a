using System.Text;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Formats;

/// <summary>
/// Source payloads through the real pipeline and Graph SDK against the sandbox: the filters Graph receives for
/// employee IDs and mail, leaver identity conflicts, and people named in other roles never revoked.
/// </summary>
public sealed class FormatResolutionTests
{
    private const string Kenji = "83ec76c8-bea5-4033-a192-044fb3907bca";
    private const string Sofia = "60921093-4357-41d1-b73a-4b2488b19bee";
    private const string Priya = "148979f6-a3e8-4239-9f94-b651523fab42";
    private const string Victor = "80c3651c-ae5f-4a71-b4b2-828aec789541";

    private static Task<RevocationResult> RunAsync(TestEnvironment env, string json) =>
        env.Pipeline.ProcessAsync(Encoding.UTF8.GetBytes(json), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

    private static Task<RevocationResult> RunFixtureAsync(TestEnvironment env, string file) =>
        env.Pipeline.ProcessAsync(File.ReadAllBytes(TestPaths.Fixture(file)), TestEnvironment.Context(RequestChannel.Queue), CancellationToken.None);

    private static IReadOnlyList<string?> Filters(TestEnvironment env) => [.. env.Sandbox.Requests.Where(r => r.Filter is not null).Select(r => r.Filter)];

    private static string Leaver(string? employeeId, string? upn, string effectiveDate = "2026-11-20T17:00:00Z")
    {
        var identifiers = (employeeId is null ? "" : $",\"employeeId\":\"{employeeId}\"")
            + (upn is null ? "" : $",\"userPrincipalName\":\"{upn}\"");
        return "{\"schemaVersion\":\"1.0\",\"messageType\":\"leaver\",\"sourceSystem\":\"Workday\",\"ticket\":\"HR-T-1\","
            + $"\"effectiveDate\":\"{effectiveDate}\"{identifiers}}}";
    }

    [Fact]
    public async Task A_leaver_by_employee_ID_is_resolved_with_an_employeeId_filter()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunFixtureAsync(env, "valid/hr-leaver-employeeid-only.json");

        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets).Outcome);
        Assert.Equal(["employeeId eq '100917'"], Filters(env));
        Assert.Equal(1, env.Sandbox.RevocationCount(Sofia));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_leaver_with_UPN_and_employee_ID_checks_both_before_revoking()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunFixtureAsync(env, "valid/hr-leaver.json");

        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets).Outcome);
        Assert.Contains(env.Sandbox.Requests, r => r.Method == "GET" && r.Path.EndsWith("/users/kenji.tanaka@contoso.com", StringComparison.Ordinal));
        Assert.Equal(["employeeId eq '100482'"], Filters(env));
        Assert.Equal(1, env.Sandbox.RevocationCount(Kenji));
    }

    [Fact]
    public async Task A_leaver_whose_UPN_and_employee_ID_name_different_people_revokes_nobody()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunAsync(env, Leaver("100917", "kenji.tanaka@contoso.com"));

        var target = Assert.Single(result.Targets);
        Assert.Equal(Outcome.NotFound, target.Outcome);
        Assert.Equal(ReasonCode.AmbiguousUser, target.Reason);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_leaver_whose_employee_ID_matches_nobody_beside_a_good_UPN_revokes_nobody()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunAsync(env, Leaver("0100482", "kenji.tanaka@contoso.com"));

        Assert.Equal(ReasonCode.AmbiguousUser, Assert.Single(result.Targets).Reason);
        Assert.Equal(["employeeId eq '0100482'"], Filters(env));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task An_employee_ID_shared_by_two_users_is_ambiguous_never_the_first()
    {
        var users = SandboxTenant.Load(TestPaths.TenantFile).Users
            .Select(u => u.Id == Sofia ? u with { EmployeeId = "100482" } : u);
        await using var env = await TestEnvironment.StartAsync(tenant: SandboxTenant.FromUsers(users));

        var result = await RunAsync(env, Leaver("100482", null));

        Assert.Equal(ReasonCode.AmbiguousUser, Assert.Single(result.Targets).Reason);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_future_leaver_is_deferred_without_a_revocation()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunAsync(env, Leaver("100482", "kenji.tanaka@contoso.com", "2099-01-01T00:00:00Z"));

        var target = Assert.Single(result.Targets);
        Assert.Equal(Outcome.Deferred, target.Outcome);
        Assert.Equal(ReasonCode.NotYetEffective, target.Reason);
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), target.NotBefore);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_mail_address_that_is_no_UPN_is_resolved_with_a_mail_filter()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunFixtureAsync(env, "edge/plain-request-mail-not-upn.json");

        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets).Outcome);
        Assert.Equal(["mail eq 'paul.meyer@contoso.com'"], Filters(env));
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.PaulMeyer));
    }

    [Fact]
    public async Task A_quote_in_a_source_UPN_is_doubled_in_the_mail_filter()
    {
        await using var env = await TestEnvironment.StartAsync();
        var alert = File.ReadAllText(TestPaths.Fixture("valid/defender-xdr-alert.json"))
            .Replace("\"azureAdUserId\": \"148979f6-a3e8-4239-9f94-b651523fab42\"", "\"azureAdUserId\": null", StringComparison.Ordinal)
            .Replace("\"userPrincipalName\": \"priya.raman@contoso.com\"", "\"userPrincipalName\": \"o'brien@contoso.com\"", StringComparison.Ordinal);

        var result = await RunAsync(env, alert);

        var target = Assert.Single(result.Targets);
        Assert.Equal(ReasonCode.UserNotFound, target.Reason);
        Assert.Equal(["mail eq 'o''brien@contoso.com'"], Filters(env));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task The_Defender_alert_revokes_the_user_evidence_and_never_the_device_user()
    {
        await using var env = await TestEnvironment.StartAsync();

        var result = await RunFixtureAsync(env, "valid/defender-xdr-alert.json");

        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets).Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(Priya));
        Assert.Equal(0, env.Sandbox.RevocationCount(Victor));
        Assert.DoesNotContain(env.Sandbox.Requests, r => r.Path.Contains("vhuang", StringComparison.OrdinalIgnoreCase) || r.Path.Contains(Victor, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_alert_with_one_bad_identifier_sends_Graph_nothing()
    {
        await using var env = await TestEnvironment.StartAsync();
        var incident = File.ReadAllText(TestPaths.Fixture("valid/sentinel-incident.json"))
            .Replace("\"aadUserId\": \"116a95ee-17a5-4212-b196-9855ce37f47f\"", "\"aadUserId\": \"116a95ee' or 1 eq 1\"", StringComparison.Ordinal);

        var result = await RunAsync(env, incident);

        Assert.Equal(ReasonCode.InvalidPayload, result.Error?.Reason);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_source_naming_one_user_by_object_ID_and_by_UPN_revokes_once()
    {
        await using var env = await TestEnvironment.StartAsync();
        var json = $$"""
            {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskDetections","value":[
              {"id":"a","riskEventType":"anonymizedIPAddress","detectedDateTime":"2026-11-24T03:29:05Z","userId":"{{FixtureUsers.Alice}}"},
              {"id":"b","riskEventType":"unfamiliarFeatures","detectedDateTime":"2026-11-24T03:31:00Z","userPrincipalName":"alice@contoso.com"}]}
            """;

        var result = await RunAsync(env, json);

        Assert.Equal(Outcome.Revoked, Assert.Single(result.Targets).Outcome);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
    }
}
