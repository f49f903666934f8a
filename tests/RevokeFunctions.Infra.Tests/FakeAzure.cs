using System.Text.RegularExpressions;

namespace RevokeFunctions.Infra.Tests;

/// <summary>
/// A temporary folder with a fake `az` (and an `azd` that knows nothing) first on PATH, for running the hook scripts
/// the way azd runs them, in that folder. The fake answers the few calls the scripts make from files in the folder,
/// so each test states the tenant it plays: who is signed in, what is already granted, which Entra and Azure roles the
/// operator holds, what Graph refuses. It does not evaluate --query: the canned answers are what the scripts' queries
/// select. Every write (POST, app update, sp create) and every app-role query is logged to az.log.
/// </summary>
public sealed partial class FakeAzure : IDisposable
{
    public const string Tenant = "tenant-id";
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";

    // Microsoft Graph's application permissions as the fake returns them: more than the app needs, on purpose.
    private const string GraphAppRoles =
        "Directory.ReadWrite.All\tid-directory-rw\n" +
        "User.ReadWrite.All\tid-user-rw\n" +
        "User.RevokeSessions.All\tid-revoke-sessions\n" +
        "User.Read.All\tid-user-read\n" +
        "GroupMember.Read.All\tid-groupmember-read\n" +
        "SecurityAlert.ReadWrite.All\tid-security-alert-rw\n" +
        "Mail.Send\tid-mail-send\n" +
        "RoleManagement.ReadWrite.Directory\tid-role-management\n";

    private readonly string logPath;

    public FakeAzure(bool withAz = true)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("revoke-hook-tests-").FullName;
        logPath = Path.Combine(Directory, "az.log");
        File.WriteAllText(logPath, string.Empty);
        Write("app-roles.tsv", GraphAppRoles);
        Granted();
        SignedInTo(Tenant);
        Write("other-roles.json", "[]\n");
        Write("uris.tsv", string.Empty);
        if (withAz)
            WriteExecutable("az", Script);
        // Outside azd the scripts ask `azd env get-value`; this one knows nothing.
        WriteExecutable("azd", "#!/bin/sh\nexit 1\n");
    }

    public string Directory { get; }

    /// <summary>Managed identity permissions (Graph app role IDs) already granted.</summary>
    public FakeAzure Granted(params string[] roleIds) => Write("granted.tsv", string.Concat(roleIds.Select(g => g + "\n")));

    /// <summary>The tenant `az account show` reports; null: az is not signed in.</summary>
    public FakeAzure SignedInTo(string? tenant) => tenant is null ? Delete("account-tenant") : Write("account-tenant", tenant + "\n");

    /// <summary>The tenant of the subscription azd deploys to, as `az account show --subscription` reports it.</summary>
    public FakeAzure SubscriptionIn(string tenant) => Write("subscription-tenant", tenant + "\n");

    /// <summary>Directory role template IDs of the signed-in user (active); null: signed in as a service principal (no /me).</summary>
    public FakeAzure WithEntraRoles(params string[]? roleTemplateIds) =>
        roleTemplateIds is null ? Delete("me-roles.tsv") : Write("me-roles.tsv", string.Concat(roleTemplateIds.Select(r => r + "\n")));

    /// <summary>The operator's ARM permissions on the subscription: one entry per line, actions TAB notActions (space-separated).</summary>
    public FakeAzure WithAzurePermissions(params string[]? entries) =>
        entries is null ? Delete("permissions.tsv") : Write("permissions.tsv", string.Concat(entries.Select(e => e + "\n")));

    /// <summary>The next <paramref name="count"/> reads of the identity's existing assignments fail.</summary>
    public FakeAzure FailingAssignmentReads(int count) => Write("failing-reads", count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every POST fails with this error text (as az prints Graph's error).</summary>
    public FakeAzure RefusingPosts(string error) => Write("post-error", error);

    public FakeAzure AcceptingPosts() => Delete("post-error");

    /// <summary>The API registration's scopes (JSON array), and the ID of the one named user_impersonation, if any.</summary>
    public FakeAzure ApiScopes(string scopesJson, string? userImpersonationId)
    {
        Write("scopes.json", scopesJson);
        return userImpersonationId is null ? Delete("scope-id.tsv") : Write("scope-id.tsv", userImpersonationId + "\n");
    }

    /// <summary>Scope IDs the Azure CLI is pre-authorised for, and the other pre-authorised clients (JSON array).</summary>
    public FakeAzure ApiPreAuthorized(string[] azureCliScopeIds, string othersJson)
    {
        Write("preauthorized-ids.tsv", string.Concat(azureCliScopeIds.Select(i => i + "\n")));
        return Write("preauthorized-others.json", othersJson);
    }

    /// <summary>Identifier URIs the API app registration already has, and its app roles other than the project's (JSON).</summary>
    public FakeAzure ApiApp(string[] identifierUris, string otherRolesJson)
    {
        Write("uris.tsv", string.Concat(identifierUris.Select(u => u + "\n")));
        return Write("other-roles.json", otherRolesJson);
    }

    public ProcessResult Run(string script, IDictionary<string, string?>? environment = null, params string[] arguments) =>
        RunFile(Repository.PathOf("infra", "scripts", script), environment, arguments);

    public ProcessResult RunFile(string path, IDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>
        {
            // No other az on the machine can answer: only this folder and the system's tools.
            ["PATH"] = Directory + Path.PathSeparator + "/usr/bin" + Path.PathSeparator + "/bin",
            ["FAKE_AZ_DIR"] = Directory,
            ["GRANT_RETRY_SECONDS"] = "0",
            ["TMPDIR"] = Directory,
            // Whatever the machine running the tests has set, only what a test passes is in the environment.
            ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = null,
            ["AZURE_TENANT_ID"] = null,
            ["AZURE_SUBSCRIPTION_ID"] = null,
            ["AZURE_ENV_NAME"] = null,
            ["API_APP_CLIENT_ID"] = null,
            ["WRITEBACK_DEFENDER_COMMENTS"] = null,
            ["NOTIFY_MANAGER_EMAIL_SENDER"] = null,
            ["MANAGER_EMAIL_ACCESS"] = null,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            variables[name] = value;
        return ProcessRunner.Run("sh", [path, .. arguments], Directory, variables, TimeSpan.FromMinutes(1));
    }

    public List<string> Log() => File.ReadAllLines(logPath).Where(l => l.Length > 0).ToList();

    public void ClearLog() => File.WriteAllText(logPath, string.Empty);

    /// <summary>(url, appRoleId, principalId) of every POST, in order.</summary>
    public List<(string Url, string AppRoleId, string PrincipalId)> Posts() =>
        Log().Where(l => l.StartsWith("POST ", StringComparison.Ordinal))
            .Select(l => (l.Split(' ')[1], Field(l, "appRoleId"), Field(l, "principalId")))
            .ToList();

    public string? ReadFile(string name)
    {
        var path = Path.Combine(Directory, name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static string Field(string line, string name)
    {
        var match = Regex.Match(line, $"\"{name}\":\"([^\"]+)\"");
        return match.Success ? match.Groups[1].Value : $"(no {name})";
    }

    private FakeAzure Write(string name, string content)
    {
        File.WriteAllText(Path.Combine(Directory, name), content);
        return this;
    }

    private FakeAzure Delete(string name)
    {
        File.Delete(Path.Combine(Directory, name));
        return this;
    }

    private void WriteExecutable(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    // POSIX sh. Reads and writes only files in $FAKE_AZ_DIR.
    private const string Script = """
        #!/bin/sh
        d="$FAKE_AZ_DIR"
        all="$*"
        url=""; body=""; method=""; query=""; roles=""
        while [ $# -gt 0 ]; do
          case "$1" in
            --url) url="$2"; shift ;;
            --body) body="$2"; shift ;;
            --method) method="$2"; shift ;;
            --query) query="$2"; shift ;;
            --app-roles) roles="$2"; shift ;;
          esac
          shift
        done
        case "$all" in
          "account show --subscription"*)
            if [ -f "$d/subscription-tenant" ]; then cat "$d/subscription-tenant"; exit 0; fi
            [ -f "$d/account-tenant" ] || exit 1; cat "$d/account-tenant"; exit 0 ;;
          "account show"*)
            [ -f "$d/account-tenant" ] || { echo "Please run 'az login' to setup account." >&2; exit 1; }
            case "$query" in
              user.name) echo "operator@contoso.com" ;;
              *) cat "$d/account-tenant" ;;
            esac
            exit 0 ;;
          "cloud show"*)
            case "$query" in
              *resourceManager*) echo "https://management.azure.com/" ;;
              *) echo "https://graph.microsoft.com/" ;;
            esac
            exit 0 ;;
          "ad app show"*)
            case "$query" in
              identifierUris) cat "$d/uris.tsv" ;;
              appRoles*) echo "QUERY $query" >> "$d/az.log"; cat "$d/other-roles.json" ;;
              "api.oauth2PermissionScopes[?value=="*) cat "$d/scope-id.tsv" 2>/dev/null ;;
              api.oauth2PermissionScopes) cat "$d/scopes.json" 2>/dev/null || echo "[]" ;;
              "api.preAuthorizedApplications[?appId=="*) cat "$d/preauthorized-ids.tsv" 2>/dev/null ;;
              "api.preAuthorizedApplications[?appId!="*) cat "$d/preauthorized-others.json" 2>/dev/null || echo "[]" ;;
              *) echo "fake az: unexpected query: $all" >&2; exit 3 ;;
            esac
            exit 0 ;;
          "ad app update"*)
            echo "$all" >> "$d/az.log"
            case "$roles" in @*) cp "${roles#@}" "$d/merged-roles.json" ;; esac
            exit 0 ;;
          "ad sp show"*)
            case "$query" in id) echo "api-sp-id" ;; esac
            exit 0 ;;
          "ad user show"*) echo "user-object-id"; exit 0 ;;
          "ad "*) echo "$all" >> "$d/az.log"; exit 0 ;;
        esac
        if [ "$method" = POST ]; then
          echo "POST $url $body" >> "$d/az.log"
          if [ -f "$d/post-error" ]; then cat "$d/post-error" >&2; exit 1; fi
          exit 0
        fi
        case "$url" in
          *"/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')"*) echo "graph-sp-id" ;;
          *'/servicePrincipals/graph-sp-id?$select=appRoles') cat "$d/app-roles.tsv" ;;
          *"/servicePrincipals/mi-principal-id/appRoleAssignments"*)
            if [ -f "$d/failing-reads" ] && [ "$(cat "$d/failing-reads")" -gt 0 ]; then
              echo $(( $(cat "$d/failing-reads") - 1 )) > "$d/failing-reads"
              echo "READ-FAILED appRoleAssignments" >> "$d/az.log"
              echo "ERROR: Service Unavailable" >&2; exit 1
            fi
            cat "$d/granted.tsv" ;;
          *"/me/transitiveMemberOf"*)
            [ -f "$d/me-roles.tsv" ] || { echo "ERROR: /me request is only valid with delegated authentication flow." >&2; exit 1; }
            cat "$d/me-roles.tsv" ;;
          *"/providers/Microsoft.Authorization/permissions"*)
            [ -f "$d/permissions.tsv" ] || { echo "ERROR: AuthorizationFailed" >&2; exit 1; }
            cat "$d/permissions.tsv" ;;
          *) echo "fake az: unexpected call: $all" >&2; exit 3 ;;
        esac
        """;
}
