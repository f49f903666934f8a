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
        using var run = new FakeAzRun(granted: []);
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read"], run.GrantedRoleIds());
    }

    [Fact]
    public void Skips_permissions_already_granted()
    {
        using var run = new FakeAzRun(granted: ["id-user-read"]);
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-groupmember-read"], run.GrantedRoleIds());
        Assert.Contains("User.Read.All already granted", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_idempotent_when_everything_is_granted()
    {
        using var run = new FakeAzRun(granted: ["id-groupmember-read", "id-revoke-sessions", "id-user-read"]);
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Empty(run.GrantedRoleIds());
    }

    [Fact]
    public void Defender_comments_add_SecurityAlert_ReadWrite_All()
    {
        using var run = new FakeAzRun(granted: [], environment: new() { ["WRITEBACK_DEFENDER_COMMENTS"] = "true" });
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read", "id-security-alert-rw"], run.GrantedRoleIds());
    }

    [Fact]
    public void A_manager_email_sender_adds_Mail_Send()
    {
        using var run = new FakeAzRun(granted: [], environment: new() { ["NOTIFY_MANAGER_EMAIL_SENDER"] = "revocations@contoso.com" });
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read", "id-mail-send"], run.GrantedRoleIds());
    }

    [Fact]
    public void With_Exchange_RBAC_for_Applications_Mail_Send_is_not_granted_in_Entra_ID()
    {
        using var run = new FakeAzRun(granted: [], environment: new()
        {
            ["NOTIFY_MANAGER_EMAIL_SENDER"] = "revocations@contoso.com",
            ["MANAGER_EMAIL_ACCESS"] = "exchange-rbac",
        });
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read"], run.GrantedRoleIds());
    }

    [Theory]
    [InlineData("false")]
    [InlineData("")]
    public void Write_backs_switched_off_grant_nothing_more(string value)
    {
        using var run = new FakeAzRun(granted: [], environment: new()
        {
            ["WRITEBACK_DEFENDER_COMMENTS"] = value,
            ["NOTIFY_MANAGER_EMAIL_SENDER"] = "",
        });
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal(["id-revoke-sessions", "id-user-read", "id-groupmember-read"], run.GrantedRoleIds());
    }

    [Fact]
    public void Grants_to_the_managed_identity_on_the_graph_service_principal()
    {
        using var run = new FakeAzRun(granted: []);
        Assert.Equal(0, run.Run().ExitCode);
        foreach (var line in run.Log().Where(l => l.StartsWith("POST ", StringComparison.Ordinal)))
        {
            Assert.StartsWith("POST https://graph.microsoft.com/v1.0/servicePrincipals/graph-sp-id/appRoleAssignedTo ", line, StringComparison.Ordinal);
            Assert.Contains("\"principalId\":\"mi-principal-id\"", line, StringComparison.Ordinal);
            Assert.Contains("\"resourceId\":\"graph-sp-id\"", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Fails_without_the_principal_id()
    {
        using var run = new FakeAzRun(granted: [], principalId: null);
        var result = run.Run();
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(run.GrantedRoleIds());
    }

    [Fact]
    public void Applies_the_app_roles_when_the_api_app_is_known()
    {
        using var run = new FakeAzRun(granted: [], apiAppClientId: "api-app-id");
        var result = run.Run();
        Assert.True(result.ExitCode == 0, result.Output);
        var appUpdate = Assert.Single(run.Log(), l => l.Contains("--app-roles", StringComparison.Ordinal));
        Assert.Contains("ad app update --id api-app-id --identifier-uris api://api-app-id --app-roles @", appUpdate, StringComparison.Ordinal);
        Assert.EndsWith("/infra/app-registration/app-roles.json", appUpdate, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)*\.All\b")]
    private static partial Regex GraphPermission();

    [GeneratedRegex("^PERMISSIONS=\"([^\"]*)\"", RegexOptions.Multiline)]
    private static partial Regex PosixList();

    [GeneratedRegex(@"^\$Permissions\s*=\s*@\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex PowershellList();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedItem();

    /// <summary>A temporary folder with fake `az` and `azd` first on PATH, and the hook run against them.</summary>
    private sealed partial class FakeAzRun : IDisposable
    {
        // Microsoft Graph's application permissions as the fake returns them: more than the three, on purpose.
        private const string AppRoles =
            "Directory.ReadWrite.All\tid-directory-rw\n" +
            "User.ReadWrite.All\tid-user-rw\n" +
            "User.RevokeSessions.All\tid-revoke-sessions\n" +
            "User.Read.All\tid-user-read\n" +
            "GroupMember.Read.All\tid-groupmember-read\n" +
            "SecurityAlert.ReadWrite.All\tid-security-alert-rw\n" +
            "Mail.Send\tid-mail-send\n" +
            "RoleManagement.ReadWrite.Directory\tid-role-management\n";

        private readonly string directory;
        private readonly string logPath;
        private readonly string? principalId;
        private readonly string? apiAppClientId;
        private readonly Dictionary<string, string?> environment;

        public FakeAzRun(string[] granted, string? principalId = "mi-principal-id", string? apiAppClientId = null,
            Dictionary<string, string?>? environment = null)
        {
            this.environment = environment ?? [];
            directory = Directory.CreateTempSubdirectory("revoke-hook-tests-").FullName;
            logPath = Path.Combine(directory, "az.log");
            this.principalId = principalId;
            this.apiAppClientId = apiAppClientId;
            File.WriteAllText(Path.Combine(directory, "app-roles.tsv"), AppRoles);
            File.WriteAllText(Path.Combine(directory, "granted.tsv"), string.Concat(granted.Select(g => g + "\n")));
            WriteExecutable("az", FakeAz);
            // Outside azd the hook asks `azd env get-value`; this one knows nothing.
            WriteExecutable("azd", "#!/bin/sh\nexit 1\n");
            File.WriteAllText(logPath, string.Empty);
        }

        public ProcessResult Run()
        {
            var variables = new Dictionary<string, string?>
            {
                ["PATH"] = directory + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["FAKE_AZ_DIR"] = directory,
                ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = principalId,
                ["API_APP_CLIENT_ID"] = apiAppClientId,
                ["GRANT_RETRY_SECONDS"] = "0",
                // Whatever the machine running the tests has set, the write-backs are off unless a test turns them on.
                ["WRITEBACK_DEFENDER_COMMENTS"] = null,
                ["NOTIFY_MANAGER_EMAIL_SENDER"] = null,
                ["MANAGER_EMAIL_ACCESS"] = null,
            };
            foreach (var (name, value) in environment)
                variables[name] = value;
            return ProcessRunner.Run("sh", [Repository.PathOf("infra", "scripts", "grant-graph-permissions.sh")], Repository.Root,
                variables, TimeSpan.FromMinutes(1));
        }

        public List<string> Log() =>
            File.ReadAllLines(logPath).Where(l => l.Length > 0).ToList();

        /// <summary>appRoleId of every assignment POSTed, in order.</summary>
        public List<string> GrantedRoleIds() =>
            Log().Where(l => l.StartsWith("POST ", StringComparison.Ordinal))
                .Select(l => AppRoleId().Match(l))
                .Select(m => m.Success ? m.Groups[1].Value : "(no appRoleId)")
                .ToList();

        public void Dispose()
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temporary folder is harmless.
            }
        }

        private void WriteExecutable(string name, string content)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // POSIX sh: answers the few az calls the hook makes, logs the writes. It does not evaluate --query, so the
        // canned answers are what the hook's queries select (tsv output).
        private const string FakeAz = """
            #!/bin/sh
            all="$*"
            url=""; body=""; method=""
            while [ $# -gt 0 ]; do
              case "$1" in
                --url) url="$2"; shift ;;
                --body) body="$2"; shift ;;
                --method) method="$2"; shift ;;
              esac
              shift
            done
            case "$all" in
              "cloud show"*) echo "https://graph.microsoft.com/"; exit 0 ;;
              "ad "*) echo "$all" >> "$FAKE_AZ_DIR/az.log"; exit 0 ;;
            esac
            if [ "$method" = POST ]; then
              echo "POST $url $body" >> "$FAKE_AZ_DIR/az.log"
              exit 0
            fi
            case "$url" in
              *"/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')"*) echo "graph-sp-id" ;;
              *'/servicePrincipals/graph-sp-id?$select=appRoles') cat "$FAKE_AZ_DIR/app-roles.tsv" ;;
              *"/servicePrincipals/mi-principal-id/appRoleAssignments"*) cat "$FAKE_AZ_DIR/granted.tsv" ;;
              *) echo "fake az: unexpected call: $all" >&2; exit 3 ;;
            esac
            """;

        [GeneratedRegex("\"appRoleId\":\"([^\"]+)\"")]
        private static partial Regex AppRoleId();
    }
}
