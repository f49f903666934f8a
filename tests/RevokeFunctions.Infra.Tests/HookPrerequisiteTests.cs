namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// The first `azd up` of an operator who is missing something: the hooks check first and say what to do, and an
/// operator without the Entra role to grant Graph permissions still gets a deployed app and one command for an
/// administrator. Run against the fake `az`.
/// </summary>
public sealed class HookPrerequisiteTests
{
    private static readonly string[] BasePermissions = ["id-revoke-sessions", "id-user-read", "id-groupmember-read"];

    // --- postprovision: grant-graph-permissions.sh ---------------------------------------------------------------

    [Fact]
    public void Without_az_it_fails_naming_the_install_and_the_sign_in()
    {
        using var az = new FakeAzure(withAz: false);
        var result = Grant(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the Azure CLI (az) is not installed", result.Output, StringComparison.Ordinal);
        Assert.Contains($"az login --tenant {FakeAzure.Tenant}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_signed_in_it_fails_with_the_login_command_and_grants_nothing()
    {
        using var az = new FakeAzure().SignedInTo(null);
        var result = Grant(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Run 'az login --tenant {FakeAzure.Tenant}', then 'azd hooks run postprovision'", result.Output, StringComparison.Ordinal);
        Assert.Empty(az.Posts());
    }

    [Fact]
    public void Signed_in_to_another_tenant_it_fails_naming_both_tenants()
    {
        using var az = new FakeAzure().SignedInTo("other-tenant").WithEntraRoles(FakeAzure.GlobalAdministrator);
        var result = Grant(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("signed in to tenant other-tenant, but the app is in tenant tenant-id", result.Output, StringComparison.Ordinal);
        Assert.Empty(az.Posts());
    }

    [Fact]
    public void Without_the_Entra_role_it_hands_the_grant_to_an_administrator_and_the_deployment_goes_on()
    {
        using var az = new FakeAzure().Granted("id-user-read").WithEntraRoles(FakeAzure.ApplicationAdministrator);
        var result = Grant(az, new() { ["AZURE_ENV_NAME"] = "revoke-prod", ["API_APP_CLIENT_ID"] = "api-app-id" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(az.Posts()); // nothing tried that Graph would refuse
        Assert.Contains("sh .azure/revoke-prod/grant-graph-permissions.admin.sh", result.Output, StringComparison.Ordinal);
        Assert.Contains("neither Privileged Role Administrator nor Global Administrator", result.Output, StringComparison.Ordinal);
        Assert.Contains("User.RevokeSessions.All, GroupMember.Read.All", result.Output, StringComparison.Ordinal);
        // The rest of the hook still ran: the API app's roles.
        Assert.Contains(az.Log(), l => l.Contains("--app-roles", StringComparison.Ordinal));

        // The administrator runs the one command (anywhere az is signed in): it grants exactly what was missing.
        az.ClearLog();
        var admin = az.RunFile(Path.Combine(az.Directory, ".azure", "revoke-prod", "grant-graph-permissions.admin.sh"));
        Assert.True(admin.ExitCode == 0, admin.Output);
        Assert.Equal(["id-revoke-sessions", "id-groupmember-read"], az.Posts().Select(p => p.AppRoleId));
        Assert.All(az.Posts(), p => Assert.Equal("mi-principal-id", p.PrincipalId));
        Assert.All(az.Posts(), p => Assert.Equal("https://graph.microsoft.com/v1.0/servicePrincipals/graph-sp-id/appRoleAssignedTo", p.Url));
    }

    [Fact]
    public void The_administrators_script_takes_an_existing_grant_as_done_and_reports_other_failures()
    {
        using var az = new FakeAzure().WithEntraRoles();
        Assert.Equal(0, Grant(az, new() { ["AZURE_ENV_NAME"] = "e" }).ExitCode);
        var script = Path.Combine(az.Directory, ".azure", "e", "grant-graph-permissions.admin.sh");

        az.RefusingPosts("Bad Request({\"error\":{\"message\":\"Permission being assigned already exists on the object\"}})");
        var repeat = az.RunFile(script);
        Assert.True(repeat.ExitCode == 0, repeat.Output);
        Assert.Contains("User.RevokeSessions.All was already granted", repeat.Output, StringComparison.Ordinal);

        az.RefusingPosts("Forbidden({\"error\":{\"code\":\"Authorization_RequestDenied\"}})");
        var refused = az.RunFile(script);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("granting User.Read.All failed", refused.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void When_Graph_refuses_the_grant_it_hands_off_every_permission_not_yet_granted()
    {
        // Signed in as a service principal: no /me, so the role is unknown and the grant is tried.
        using var az = new FakeAzure().WithEntraRoles(null)
            .RefusingPosts("Forbidden({\"error\":{\"code\":\"Authorization_RequestDenied\",\"message\":\"Insufficient privileges to complete the operation.\"}})");
        var result = Grant(az, new() { ["AZURE_ENV_NAME"] = "e" });

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Single(az.Posts()); // the first refusal stops the attempts: retrying cannot help
        Assert.Contains("refused to let you grant User.RevokeSessions.All", result.Output, StringComparison.Ordinal);
        var script = az.ReadFile(Path.Combine(".azure", "e", "grant-graph-permissions.admin.sh"));
        Assert.NotNull(script);
        foreach (var line in new[] { "grant User.RevokeSessions.All id-revoke-sessions", "grant User.Read.All id-user-read", "grant GroupMember.Read.All id-groupmember-read" })
            Assert.Contains(line, script, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_read_of_the_existing_assignments_is_retried()
    {
        using var az = new FakeAzure().WithEntraRoles(FakeAzure.GlobalAdministrator).Granted("id-user-read").FailingAssignmentReads(2);
        var result = Grant(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(2, az.Log().Count(l => l.StartsWith("READ-FAILED", StringComparison.Ordinal)));
        // The read that finally answered is what decides: the granted permission is not granted twice.
        Assert.Equal(["id-revoke-sessions", "id-groupmember-read"], az.Posts().Select(p => p.AppRoleId));
    }

    [Fact]
    public void A_read_that_keeps_failing_stops_the_hook_with_what_failed()
    {
        using var az = new FakeAzure().WithEntraRoles(FakeAzure.GlobalAdministrator).FailingAssignmentReads(10);
        var result = Grant(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("cannot read the permissions the managed identity mi-principal-id already has", result.Output, StringComparison.Ordinal);
        Assert.Empty(az.Posts());
    }

    [Fact]
    public void A_Global_Administrator_grants_directly_and_gets_no_hand_off()
    {
        using var az = new FakeAzure().WithEntraRoles(FakeAzure.ApplicationAdministrator, FakeAzure.GlobalAdministrator);
        var result = Grant(az, new() { ["AZURE_ENV_NAME"] = "e" });
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(BasePermissions, az.Posts().Select(p => p.AppRoleId));
        Assert.Null(az.ReadFile(Path.Combine(".azure", "e", "grant-graph-permissions.admin.sh")));
        Assert.DoesNotContain("WARNING", result.Output, StringComparison.Ordinal);
    }

    // --- preprovision: check-prerequisites.sh ---------------------------------------------------------------------

    [Theory]
    [InlineData("*\t")] // Owner
    [InlineData("*/read Microsoft.Resources/*\t|Microsoft.Authorization/roleAssignments/write Microsoft.Authorization/*/read")] // custom + RBAC admin
    public void An_operator_who_may_create_the_group_and_its_role_assignments_passes(string entries)
    {
        using var az = new FakeAzure().WithAzurePermissions(entries.Split('|'));
        var result = Check(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("you may create the resource group and its role assignments", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Contributor_is_stopped_with_the_command_an_Owner_runs()
    {
        // Contributor: everything except writing authorisation (role assignments).
        using var az = new FakeAzure().WithAzurePermissions("*\tMicrosoft.Authorization/*/Delete Microsoft.Authorization/*/Write Microsoft.Authorization/elevateAccess/Action");
        var result = Check(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("may not create role assignments on subscription sub-id", result.Output, StringComparison.Ordinal);
        Assert.Contains("az role assignment create --assignee operator@contoso.com --role 'User Access Administrator' --scope /subscriptions/sub-id",
            result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_User_Access_Administrator_without_Contributor_is_told_to_get_Contributor()
    {
        using var az = new FakeAzure().WithAzurePermissions("*/read Microsoft.Authorization/*\t");
        var result = Check(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("may not create resource groups", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Az_signed_in_elsewhere_than_the_subscription_is_stopped_before_provisioning()
    {
        using var az = new FakeAzure().SubscriptionIn("other-tenant").WithAzurePermissions("*\t");
        var result = Check(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Run 'az login --tenant other-tenant'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_signed_in_is_stopped_before_provisioning()
    {
        using var az = new FakeAzure().SignedInTo(null);
        var result = Check(az);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the Azure CLI is not signed in", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Permissions_that_cannot_be_read_only_warn()
    {
        using var az = new FakeAzure().WithAzurePermissions(null);
        var result = Check(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("WARNING: could not read your permissions", result.Output, StringComparison.Ordinal);
    }

    private static ProcessResult Grant(FakeAzure az, Dictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>
        {
            ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = "mi-principal-id",
            ["AZURE_TENANT_ID"] = FakeAzure.Tenant,
        };
        foreach (var (name, value) in environment ?? [])
            variables[name] = value;
        return az.Run("grant-graph-permissions.sh", variables);
    }

    private static ProcessResult Check(FakeAzure az) =>
        az.Run("check-prerequisites.sh", new Dictionary<string, string?> { ["AZURE_SUBSCRIPTION_ID"] = "sub-id" });
}
