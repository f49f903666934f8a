using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.App.Http;
using RevokeFunctions.Queue;
using RevokeFunctions.Tests.Fixtures;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;

namespace RevokeFunctions.Tests.Guards;

/// <summary>
/// With <c>Guards:LogUserPrincipalNames=Hashed</c> (the default) no user name or mail address reaches any log line,
/// whichever way a request arrives: every shared fixture through HTTP, the queue handler and the CLI, against the Graph
/// sandbox and the ledger on Azurite. With <c>Clear</c> the same run does log them, so the check can fail.
/// </summary>
public sealed partial class LogPrivacyTests
{
    /// <summary>Anything shaped like a UPN or a mail address (IDN domains included) in the fixtures' raw text.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}._%+#'-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();

    private static IReadOnlyList<string> FixtureFiles() =>
        [.. FixtureCases.Files().Select(f => TestPaths.Fixture(f))];

    /// <summary>Every user name and mail address the fixtures hold, as written and lower-cased, IDN domains also in ASCII.</summary>
    private static HashSet<string> NamesInFixtures()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var idn = new System.Globalization.IdnMapping();
        foreach (var file in FixtureFiles())
        {
            var text = Regex.Unescape(File.ReadAllText(file).Replace("\\\\", "\\", StringComparison.Ordinal));
            foreach (Match match in AddressPattern().Matches(text))
            {
                var value = match.Value.Trim('.', '\'', '-');
                if (value.Length > 200)
                    continue; // The oversized fixture: refused before anything could log it whole.
                names.Add(value);
                var at = value.LastIndexOf('@');
                try
                {
                    names.Add(value[..at] + "@" + idn.GetAscii(value[(at + 1)..]));
                }
                catch (ArgumentException)
                {
                    // Not a valid domain: only the text as written can appear.
                }
            }
        }
        Assert.Contains("alice@contoso.com", names);
        Assert.Contains("tessa.morgan@contoso.com", names);
        return names;
    }

    /// <summary>A person whose Easy Auth name claim is their UPN, as App Service sends it for many tenants.</summary>
    private static string PrincipalNamedByUpn() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        """
        {"auth_typ":"aad","name_typ":"preferred_username","role_typ":"roles","claims":[
         {"typ":"oid","val":"5f0a5c3e-8a1b-4c55-9d7e-2b1f0c9e4a11"},{"typ":"preferred_username","val":"tessa.morgan@contoso.com"},
         {"typ":"scp","val":"user_impersonation"},{"typ":"roles","val":"Revocations.Submit"}]}
        """));

    private static async Task<string> RunThroughHttpAndQueueAsync(string logging)
    {
        await using var host = await GuardHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Guards:LogUserPrincipalNames"] = logging,
                ["Guards:StormGuard:MaxUsers"] = "25",
                ["Guards:ProtectedGroups:0"] = ProtectedAccountPolicyTests.CeoGroup,
                ["Leavers:DisableAccount"] = "true",
            },
            replace: services => services.AddSingleton<ServiceBusSender>(new SubstituteSender().Sender));
        var handler = host.Get<RevocationQueueHandler>();
        foreach (var file in FixtureFiles())
        {
            var body = await File.ReadAllBytesAsync(file);
            var contentType = file.EndsWith(".txt", StringComparison.Ordinal) ? "application/x-www-form-urlencoded" : "application/json";
            var response = await HttpCall.PostAsAsync(host.Services, PrincipalNamedByUpn(), body, contentType);
            Assert.True(response.Status < 500, $"{file}: {response.Status}");
            await handler.HandleAsync(QueueMessages.Received(body, messageId: Guid.NewGuid().ToString("D")), new SubstituteSettlement().Port, CancellationToken.None);
        }
        Assert.NotEmpty(host.Logs.Entries);
        return string.Join("\n", host.Logs.Entries.Select(e => $"{e.Message} {e.Exception}"));
    }

    private static async Task<string> RunThroughCliAsync(string logging)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "revoke.dll"));
        foreach (var arg in (string[])["demo", "--sandbox", TestPaths.TenantFile, .. FixtureFiles()])
            start.ArgumentList.Add(arg);
        start.Environment["Guards__LogUserPrincipalNames"] = logging;
        start.Environment["Ledger__connectionString"] = GuardHost.Azurite;
        start.Environment["Ledger__TableName"] = GuardHost.NewTableName();
        start.Environment["Guards__StormGuard__TableName"] = GuardHost.NewTableName();
        start.Environment["Logging__LogLevel__Default"] = "Debug";
        // A protected account the CLI (a person without the protected role) is refused: a log line that names the user.
        start.Environment["Guards__ProtectedAccounts__0"] = "alice@contoso.com";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Contains("== ", await stdout, StringComparison.Ordinal);
        return await stderr;
    }

    private static IReadOnlyList<string> Leaked(string logs) =>
        [.. NamesInFixtures().Where(name => logs.Contains(name, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)];

    /// <summary>The log lines that name someone, for the failure message.</summary>
    private static string Offending(string logs)
    {
        var names = NamesInFixtures();
        return string.Join("\n", logs.Split('\n')
            .Where(line => names.Any(n => line.Contains(n, StringComparison.OrdinalIgnoreCase)))
            .Select(line => line.Length > 300 ? line[..300] : line)
            .DistinctBy(line => line.Length > 50 ? line[..50] : line)
            .Take(20));
    }

    [Fact]
    public async Task Hashed_no_fixture_user_name_or_mail_reaches_any_log_via_HTTP_or_the_queue()
    {
        var logs = await RunThroughHttpAndQueueAsync("Hashed");

        Assert.True(Leaked(logs).Count == 0, Offending(logs));
        Assert.Contains("upn-sha256:", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_the_same_run_does_log_user_names_so_the_check_can_fail()
    {
        var logs = await RunThroughHttpAndQueueAsync("Clear");

        Assert.NotEmpty(Leaked(logs));
    }

    [Fact]
    public async Task Hashed_no_fixture_user_name_or_mail_reaches_the_CLIs_log()
    {
        var hashed = await RunThroughCliAsync("Hashed");
        var clear = await RunThroughCliAsync("Clear");

        Assert.True(Leaked(hashed).Count == 0, Offending(hashed));
        Assert.NotEmpty(Leaked(clear));
    }
}
