using System.Text.Json.Nodes;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// The API app registration: configure-api-app.sh adds the project's audience and roles to what the operator already
/// has there instead of overwriting it, and assign-caller-role.sh is the one command that lets a caller (a playbook's
/// managed identity, a person) call the API. Run against the fake `az`.
/// </summary>
public sealed class ApiAppScriptTests
{
    private const string SubmitRoleId = "b46d9506-2c7b-464b-ab29-32002cc15d22";
    private const string ProtectedRoleId = "8d920c06-f42a-45f9-a046-ad0ed8e13231";
    private const string ScopeId = "f60a5f9d-6806-41f2-ad87-773b08f3fe4d";
    private const string AzureCliAppId = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

    private const string OperatorsOwnRole = """
        [
          {
            "allowedMemberTypes": [ "User" ],
            "description": "Read reports.",
            "displayName": "Reports reader",
            "id": "11111111-2222-3333-4444-555555555555",
            "isEnabled": true,
            "value": "Reports.Read"
          }
        ]
        """;

    [Fact]
    public void Keeps_the_registrations_own_identifier_URIs_and_adds_the_audience()
    {
        using var az = new FakeAzure().ApiApp(["api://contoso-revocations", "https://contoso.com/revoke"], "[]");
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);
        var update = Assert.Single(az.Log(), l => l.Contains("--identifier-uris", StringComparison.Ordinal));
        Assert.Equal("ad app update --id api-app-id --identifier-uris api://contoso-revocations https://contoso.com/revoke api://api-app-id", update);
    }

    [Fact]
    public void Leaves_the_identifier_URIs_alone_when_the_audience_is_there()
    {
        using var az = new FakeAzure().ApiApp(["api://api-app-id", "api://contoso-revocations"], "[]");
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain(az.Log(), l => l.Contains("--identifier-uris", StringComparison.Ordinal));
        Assert.Contains("identifier URI api://api-app-id already set", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_the_registrations_own_app_roles_beside_the_projects()
    {
        using var az = new FakeAzure().ApiApp([], OperatorsOwnRole);
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);

        var merged = JsonNode.Parse(az.ReadFile("merged-roles.json")!)!.AsArray();
        Assert.Equal(["Reports.Read", "Revocations.Submit", "Revocations.Protected"], merged.Select(r => r!["value"]!.GetValue<string>()));
        Assert.Equal([SubmitRoleId, ProtectedRoleId], merged.Skip(1).Select(r => r!["id"]!.GetValue<string>()));

        // The roles kept are all but the project's own, matched by ID and by value (a stale copy is replaced, not doubled).
        var query = Assert.Single(az.Log(), l => l.StartsWith("QUERY ", StringComparison.Ordinal));
        foreach (var part in new[] { $"id!='{SubmitRoleId}'", $"id!='{ProtectedRoleId}'", "value!='Revocations.Submit'", "value!='Revocations.Protected'" })
            Assert.Contains(part, query, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_other_roles_the_registration_gets_exactly_the_projects_roles()
    {
        using var az = new FakeAzure();
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);
        var merged = JsonNode.Parse(az.ReadFile("merged-roles.json")!)!.AsArray();
        Assert.Equal(["Revocations.Submit", "Revocations.Protected"], merged.Select(r => r!["value"]!.GetValue<string>()));
    }

    [Fact]
    public void Exposes_a_delegated_scope_and_pre_authorises_the_Azure_CLI_so_a_person_gets_a_token_without_consent()
    {
        using var az = new FakeAzure();
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);

        var scopes = SetValue(az, "api.oauth2PermissionScopes");
        var scope = Assert.Single(scopes);
        Assert.Equal(ScopeId, scope!["id"]!.GetValue<string>());
        Assert.Equal("user_impersonation", scope["value"]!.GetValue<string>());
        Assert.Equal("User", scope["type"]!.GetValue<string>());

        var client = Assert.Single(SetValue(az, "api.preAuthorizedApplications"));
        Assert.Equal(AzureCliAppId, client!["appId"]!.GetValue<string>());
        Assert.Equal([ScopeId], client["delegatedPermissionIds"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Fact]
    public void Keeps_the_registrations_own_scopes_and_pre_authorised_clients()
    {
        using var az = new FakeAzure()
            .ApiScopes("[ { \"id\": \"aaaaaaaa-0000-0000-0000-000000000001\", \"value\": \"Reports.Read\", \"type\": \"User\", \"isEnabled\": true } ]", null)
            .ApiPreAuthorized([], "[ { \"appId\": \"bbbbbbbb-0000-0000-0000-000000000002\", \"delegatedPermissionIds\": [ \"aaaaaaaa-0000-0000-0000-000000000001\" ] } ]");
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["Reports.Read", "user_impersonation"], SetValue(az, "api.oauth2PermissionScopes").Select(s => s!["value"]!.GetValue<string>()));
        Assert.Equal(["bbbbbbbb-0000-0000-0000-000000000002", AzureCliAppId],
            SetValue(az, "api.preAuthorizedApplications").Select(c => c!["appId"]!.GetValue<string>()));
    }

    [Fact]
    public void Reuses_an_existing_user_impersonation_scope_and_keeps_the_CLIs_other_scopes()
    {
        const string existing = "cccccccc-0000-0000-0000-000000000003";
        using var az = new FakeAzure().ApiScopes("[]", existing).ApiPreAuthorized(["dddddddd-0000-0000-0000-000000000004"], "[]");
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain(az.Log(), l => l.Contains("api.oauth2PermissionScopes=", StringComparison.Ordinal));
        var client = Assert.Single(SetValue(az, "api.preAuthorizedApplications"));
        Assert.Equal(["dddddddd-0000-0000-0000-000000000004", existing], client!["delegatedPermissionIds"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Fact]
    public void Changes_nothing_for_people_when_the_Azure_CLI_is_already_pre_authorised()
    {
        using var az = new FakeAzure().ApiScopes("[]", ScopeId).ApiPreAuthorized([ScopeId], "[]");
        var result = Configure(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain(az.Log(), l => l.Contains("--set api.oauth2PermissionScopes", StringComparison.Ordinal)
            || l.Contains("--set api.preAuthorizedApplications", StringComparison.Ordinal));
        Assert.Contains("already pre-authorised", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Assigns_Submit_to_a_playbooks_managed_identity_on_the_API()
    {
        using var az = new FakeAzure();
        var result = Assign(az, "logic-app-principal-id");
        Assert.True(result.ExitCode == 0, result.Output);
        var post = Assert.Single(az.Posts());
        Assert.Equal("https://graph.microsoft.com/v1.0/servicePrincipals/api-sp-id/appRoleAssignedTo", post.Url);
        Assert.Equal(SubmitRoleId, post.AppRoleId);
        Assert.Equal("logic-app-principal-id", post.PrincipalId);
        Assert.Contains("\"resourceId\":\"api-sp-id\"", az.Log().Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Assigns_a_named_role_to_a_person_by_user_principal_name()
    {
        using var az = new FakeAzure();
        var result = Assign(az, "responder@contoso.com", "Revocations.Protected");
        Assert.True(result.ExitCode == 0, result.Output);
        var post = Assert.Single(az.Posts());
        Assert.Equal(ProtectedRoleId, post.AppRoleId);
        Assert.Equal("user-object-id", post.PrincipalId);
    }

    [Fact]
    public void An_existing_assignment_is_success()
    {
        using var az = new FakeAzure().RefusingPosts("Bad Request({\"error\":{\"message\":\"Permission being assigned already exists on the object\"}})");
        var result = Assign(az, "logic-app-principal-id");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("already holds Revocations.Submit", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Revocations.Admin")]
    [InlineData("Submit")]
    public void An_unknown_role_is_a_usage_error(string role)
    {
        using var az = new FakeAzure();
        var result = Assign(az, "logic-app-principal-id", role);
        Assert.Equal(64, result.ExitCode);
        Assert.Empty(az.Posts());
    }

    /// <summary>The JSON array an `az ad app update --set {property}=...` call wrote.</summary>
    private static JsonArray SetValue(FakeAzure az, string property)
    {
        var prefix = $"--set {property}=";
        var line = Assert.Single(az.Log(), l => l.Contains(prefix, StringComparison.Ordinal));
        return JsonNode.Parse(line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..])!.AsArray();
    }

    private static ProcessResult Configure(FakeAzure az) =>
        az.Run("configure-api-app.sh", new Dictionary<string, string?> { ["API_APP_CLIENT_ID"] = "api-app-id" });

    private static ProcessResult Assign(FakeAzure az, params string[] arguments) =>
        az.Run("assign-caller-role.sh", new Dictionary<string, string?> { ["API_APP_CLIENT_ID"] = "api-app-id" }, arguments);
}
