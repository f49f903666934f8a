using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// The postprovision hook grants exactly User.RevokeSessions.All, User.Read.All and GroupMember.Read.All, and the
/// write-backs' permissions (SecurityAlert.ReadWrite.All, Mail.Send) only when their azd environment values turn them
/// on. The posix script is also run against a fake `az` that records what would be sent to Microsoft Graph.
/// </summary>
public sealed partial class GraphPermissionScriptTests
{
    private static readonly string[] Expected = ["User.RevokeSessions.All", "User.Read.All", "GroupMember.Read.All"];

    /// <summary>Granted only when a write-back that needs them is on.</summary>
    private static readonly string[] OptIn = ["SecurityAlert.ReadWrite.All", "Mail.Send"];

    [Theory]
    [InlineData("grant-graph-permissions.sh")]
    [InlineData("grant-graph-permissions.ps1")]
    public void Script_names_exactly_the_three_permissions_and_the_opt_in_ones(string script)
    {
        var text = Repository.ReadAllText("infra", "scripts", script);
        var named = GraphPermission().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        Assert.Equal(Expected.Append("SecurityAlert.ReadWrite.All").Order(StringComparer.Ordinal), named);
        Assert.All(OptIn, permission => Assert.Contains(permission, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Posix_permission_list_is_the_three_permissions()
    {
        var text = Repository.ReadAllText("infra", "scripts", "grant-graph-permissions.sh");
        var match = PosixList().Match(text);
        Assert.True(match.Success, "PERMISSIONS=\"...\" not found");
        Assert.Equal(Expected, match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Powershell_permission_list_is_the_three_permissions()
    {
        var text = Repository.ReadAllText("infra", "scripts", "grant-graph-permissions.ps1");
        var match = PowershellList().Match(text);
        Assert.True(match.Success, "$Permissions = @(...) not found");
        var items = QuotedItem().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value);
        Assert.Equal(Expected, items);
    }

    [Fact]
    public void Grants_all_three_when_none_is_granted()
    {
        using var az = Admin();
        var result = Grant(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read"], GrantedRoleIds(az));
    }

    [Fact]
    public void Skips_permissions_already_granted()
    {
        using var az = Admin().Granted("id-user-read");
        var result = Grant(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-groupmember-read"], GrantedRoleIds(az));
        Assert.Contains("User.Read.All already granted", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_idempotent_when_everything_is_granted()
    {
        using var az = Admin().Granted("id-groupmember-read", "id-revoke-sessions", "id-user-read");
        var result = Grant(az);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(GrantedRoleIds(az));
    }

    [Fact]
    public void Defender_comments_add_SecurityAlert_ReadWrite_All()
    {
        using var az = Admin();
        var result = Grant(az, new() { ["WRITEBACK_DEFENDER_COMMENTS"] = "true" });
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read", "id-security-alert-rw"], GrantedRoleIds(az));
    }

    [Fact]
    public void A_manager_email_sender_adds_Mail_Send()
    {
        using var az = Admin();
        var result = Grant(az, new() { ["NOTIFY_MANAGER_EMAIL_SENDER"] = "revocations@contoso.com" });
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read", "id-mail-send"], GrantedRoleIds(az));
    }

    [Fact]
    public void With_Exchange_RBAC_for_Applications_Mail_Send_is_not_granted_in_Entra_ID()
    {
        using var az = Admin();
        var result = Grant(az, new()
        {
            ["NOTIFY_MANAGER_EMAIL_SENDER"] = "revocations@contoso.com",
            ["MANAGER_EMAIL_ACCESS"] = "exchange-rbac",
        });
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read"], GrantedRoleIds(az));
    }

    [Theory]
    [InlineData("false")]
    [InlineData("")]
    public void Write_backs_switched_off_grant_nothing_more(string value)
    {
        using var az = Admin();
        var result = Grant(az, new()
        {
            ["WRITEBACK_DEFENDER_COMMENTS"] = value,
            ["NOTIFY_MANAGER_EMAIL_SENDER"] = "",
        });
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read"], GrantedRoleIds(az));
    }

    [Fact]
    public void Grants_to_the_managed_identity_on_the_graph_service_principal()
    {
        using var az = Admin();
        Assert.Equal(0, Grant(az).ExitCode);
        Assert.Equal(3, az.Posts().Count);
        Assert.All(az.Posts(), post =>
        {
            Assert.Equal("https://graph.microsoft.com/v1.0/servicePrincipals/graph-sp-id/appRoleAssignedTo", post.Url);
            Assert.Equal("mi-principal-id", post.PrincipalId);
        });
        Assert.All(az.Log().Where(l => l.StartsWith("POST ", StringComparison.Ordinal)),
            line => Assert.Contains("\"resourceId\":\"graph-sp-id\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Fails_without_the_principal_id()
    {
        using var az = Admin();
        var result = Grant(az, new() { ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = null });
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(GrantedRoleIds(az));
    }

    [Fact]
    public void Applies_the_app_roles_when_the_api_app_is_known()
    {
        using var az = Admin();
        var result = Grant(az, new() { ["API_APP_CLIENT_ID"] = "api-app-id" });
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Single(az.Log(), l => l.StartsWith("ad app update --id api-app-id --identifier-uris api://api-app-id", StringComparison.Ordinal));
        var roles = Assert.Single(az.Log(), l => l.Contains("--app-roles", StringComparison.Ordinal));
        Assert.StartsWith("ad app update --id api-app-id --app-roles @", roles, StringComparison.Ordinal);
        Assert.Contains("Revocations.Submit", az.ReadFile("merged-roles.json"), StringComparison.Ordinal);
    }

    /// <summary>A signed-in Privileged Role Administrator in the app's tenant.</summary>
    private static FakeAzure Admin() => new FakeAzure().WithEntraRoles(FakeAzure.PrivilegedRoleAdministrator);

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

    private static List<string> GrantedRoleIds(FakeAzure az) => az.Posts().Select(p => p.AppRoleId).ToList();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)*\.All\b")]
    private static partial Regex GraphPermission();

    [GeneratedRegex("^PERMISSIONS=\"([^\"]*)\"", RegexOptions.Multiline)]
    private static partial Regex PosixList();

    [GeneratedRegex(@"^\$Permissions\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex PowershellList();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedItem();
}
