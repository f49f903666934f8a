using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Operations;
using RevokeFunctions.Requests;

namespace RevokeFunctions.Cli.Smoke;

/// <summary>
/// <c>revoke smoke</c>: <see cref="SmokeTest"/> against a deployed app. Every setting defaults to the variable azd
/// exports to its hooks (and <c>azd env get-values</c> prints), so the postdeploy hook passes none.
/// </summary>
internal static class SmokeCommand
{
    public static Command Create(CliContext context)
    {
        var appUrl = Setting("--app-url", "url", "The function app (default: https://$AZURE_FUNCTION_APP_HOSTNAME)");
        var apiClientId = Setting("--api-client-id", "id", "The API app registration's client ID; the token is for api://<id> (default: $API_APP_CLIENT_ID)");
        var testUser = Setting("--test-user", "upn|id", "An existing user the dry run resolves; nobody is signed out (default: $SMOKE_TEST_USER)");
        var serviceBus = Setting("--namespace", "host", "The Service Bus namespace (default: $SERVICEBUS_FULLY_QUALIFIED_NAMESPACE)");
        var queue = Setting("--queue", "name", "The revocation queue (default: $REVOCATION_QUEUE_NAME, else revocations)");
        var identity = Setting("--identity-principal-id", "id", "The app's managed identity (default: $AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)");
        var wait = new Option<int>("--wait")
        {
            Description = "Seconds to wait for the test message in the dead-letter queue",
            HelpName = "seconds",
            DefaultValueFactory = _ => 120,
        };
        wait.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
                result.AddError("--wait takes a number of seconds from 1 to 3600.");
        });
        var output = OutputFormatOption.Create("json: one JSON object per check, for scripts; table: for people (default)");
        var command = new Command("smoke", "Prove a deployed app works: dry run over HTTP, status API, a dead letter through the queue, Graph permissions")
        {
            appUrl, apiClientId, testUser, serviceBus, queue, identity, wait, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? Value(Option<string> option, params string[] variables) =>
                parse.GetValue(option) is { Length: > 0 } given ? given : variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

            var host = Value(appUrl, "AZURE_FUNCTION_APP_HOSTNAME");
            var missing = new List<string>();
            string Required(string? value, string name)
            {
                if (string.IsNullOrWhiteSpace(value))
                    missing.Add(name);
                return value ?? "";
            }
            var url = Required(host, "--app-url (AZURE_FUNCTION_APP_HOSTNAME)");
            var settings = new
            {
                ClientId = Required(Value(apiClientId, "API_APP_CLIENT_ID"), "--api-client-id (API_APP_CLIENT_ID)"),
                User = Required(Value(testUser, "SMOKE_TEST_USER"), "--test-user (SMOKE_TEST_USER)"),
                Namespace = Required(Value(serviceBus, "SERVICEBUS_FULLY_QUALIFIED_NAMESPACE", "ServiceBus__fullyQualifiedNamespace"), "--namespace (SERVICEBUS_FULLY_QUALIFIED_NAMESPACE)"),
                Queue = Value(queue, "REVOCATION_QUEUE_NAME", "RevocationQueueName") ?? "revocations",
                Identity = Required(Value(identity, "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"), "--identity-principal-id (AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)"),
            };
            if (missing.Count > 0)
            {
                await context.Error.WriteLineAsync($"revoke smoke needs {string.Join(", ", missing)}: give the options, or run it where azd exports its "
                    + "environment (the postdeploy hook, or after: eval \"$(azd env get-values)\"). See 'revoke smoke --help' for usage.");
                return CliExitCode.Usage;
            }
            if (AppUri(url) is not { } app)
            {
                await context.Error.WriteLineAsync($"--app-url '{url}' is not an https URL or host name. See 'revoke smoke --help' for usage.");
                return CliExitCode.Usage;
            }
            var smoke = new SmokeSettings(app, settings.ClientId, settings.User, settings.Namespace, settings.Queue, settings.Identity)
            {
                DeadLetterWait = TimeSpan.FromSeconds(parse.GetValue(wait)),
            };
            return await RunAsync(context, smoke, parse.GetValue(output), cancellationToken);
        });
        return command;
    }

    private static Option<string> Setting(string name, string helpName, string description) => new(name) { Description = description, HelpName = helpName };

    /// <summary>An azd host name (<c>func-x.azurewebsites.net</c>) or a URL; the base address ends in a slash so relative paths keep its path.</summary>
    internal static Uri? AppUri(string value)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "https://" + value;
        return Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback) ? uri : null;
    }

    private static async Task<int> RunAsync(CliContext context, SmokeSettings settings, OutputFormat format, CancellationToken cancellationToken)
    {
        // The app's composition, for the parser that names users in dead letters' bodies as 'dlq list' does.
        using var host = CliApplication.BuildHost(sandbox: null);
        SmokeConnections connections;
        try
        {
            connections = context.OpenSmoke?.Invoke(settings)
                ?? SmokeConnections.Open(settings, context.Time, host.Services.GetRequiredService<PayloadParser>());
        }
        catch (DeadLetterAccessException ex)
        {
            await context.Error.WriteLineAsync(ex.Message);
            return CliExitCode.Usage;
        }
        await using (connections)
        {
            var smoke = new SmokeTest(connections, settings, context.Time);
            var checks = await TerminalProgress.RunAsync<SmokeProgress, IReadOnlyList<SmokeCheck>>(context, "smoke test",
                (task, p) =>
                {
                    task.Description = TerminalText.Line(p.Step, 80);
                    task.MaxValue = Math.Max(p.Total, 1);
                    task.Value = p.Done;
                },
                progress => smoke.RunAsync(progress, cancellationToken));
            await WriteAsync(checks, settings, format, context.Output);
            return checks.All(c => c.Passed) ? CliExitCode.Success : CliExitCode.TargetFailed;
        }
    }

    internal static async Task WriteAsync(IReadOnlyList<SmokeCheck> checks, SmokeSettings settings, OutputFormat format, TextWriter output)
    {
        if (format == OutputFormat.Json)
        {
            foreach (var check in checks)
                await output.WriteLineAsync(JsonSerializer.Serialize(check, SmokeJsonContext.Default.SmokeCheck));
            return;
        }
        var rows = checks.Select(c => new[] { c.Check, c.Passed ? "pass" : "FAIL", c.Passed ? c.Detail : $"{c.Detail.TrimEnd('.')}. Fix: {c.Fix}" }).ToList();
        await PlainTable.WriteAsync(["CHECK", "RESULT", "DETAIL"], rows, output);
        var failed = checks.Count(c => !c.Passed);
        await output.WriteLineAsync(failed == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{settings.AppUrl} works: all {checks.Count} smoke checks passed.")
            : string.Create(CultureInfo.InvariantCulture, $"{settings.AppUrl}: {failed} of {checks.Count} smoke checks failed; fix what each names, then run 'revoke smoke' again."));
    }
}
