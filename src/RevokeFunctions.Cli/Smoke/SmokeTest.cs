using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Graph.Models.ODataErrors;
using RevokeFunctions.Operations;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Cli.Smoke;

/// <summary>
/// <c>revoke smoke</c>: proves a deployment works end to end with its real host, identity, queue and settlement, and
/// changes nothing: a dry run over HTTP, the status API, a message the queue trigger must dead-letter (then removed),
/// and the managed identity's Graph permissions. Each check says what it proved or what to fix.
/// </summary>
public sealed class SmokeTest(SmokeConnections connections, SmokeSettings settings, TimeProvider time)
{
    /// <summary>The Graph application permissions the app needs whatever else is switched on (granted by the postprovision hook).</summary>
    public static readonly IReadOnlyList<string> RequiredGraphPermissions = ["User.RevokeSessions.All", "User.Read.All", "GroupMember.Read.All"];

    public const string DryRunCheck = "dry run over HTTP";
    public const string StatusCheck = "status API";
    public const string DeadLetterCheck = "queue dead-letters";
    public const string GraphCheck = "Graph permissions";

    private const string GraphAppId = "00000003-0000-0000-c000-000000000000";
    private const string GrantFix = "run the postprovision hook again (azd provision, or infra/scripts/grant-graph-permissions.sh); without the Entra "
        + "role it writes the grant for an administrator to .azure/<env>/grant-graph-permissions.admin.sh";

    private readonly string runId = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Every check, in order; a failed check never stops the next one, so one run names everything to fix.</summary>
    public async Task<IReadOnlyList<SmokeCheck>> RunAsync(IProgress<SmokeProgress>? progress, CancellationToken cancellationToken)
    {
        var checks = new List<SmokeCheck>();
        progress?.Report(new SmokeProgress(DryRunCheck, 0, 1));
        var (dryRun, requestId) = await DryRunAsync(cancellationToken);
        checks.Add(dryRun);
        progress?.Report(new SmokeProgress(StatusCheck, 0, 1));
        checks.Add(await StatusAsync(requestId, cancellationToken));
        checks.Add(await DeadLetterAsync(progress, cancellationToken));
        progress?.Report(new SmokeProgress(GraphCheck, 0, 1));
        checks.Add(await GraphPermissionsAsync(cancellationToken));
        return checks;
    }

    /// <summary>A dry-run native request for the test user: 200 with <c>WouldRevoke</c> proves sign-in, the caller's role, Graph reads and the pipeline.</summary>
    internal async Task<(SmokeCheck Check, string? RequestId)> DryRunAsync(CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["user"] = settings.TestUser,
            ["reason"] = $"revoke smoke {runId}: dry run, nobody is signed out",
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/revocations?dryRun=true")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var (response, failure) = await SendAsync(request, DryRunCheck, cancellationToken);
        if (failure is not null)
            return (failure, null);
        using (response)
        {
            var json = await ReadJsonAsync(response!, cancellationToken);
            var requestId = json?.TryGetProperty("requestId", out var id) == true ? id.GetString() : null;
            var results = json?.TryGetProperty("results", out var r) == true && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [];
            var outcomes = results.Select(t => t.TryGetProperty("outcome", out var o) ? o.GetString() : null).ToList();
            var reason = results.Select(t => t.TryGetProperty("reason", out var x) ? x.GetString() : null).FirstOrDefault(x => x is not null)
                ?? (json?.TryGetProperty("reasonCode", out var code) == true ? code.GetString() : null);
            if (response!.StatusCode == HttpStatusCode.OK && outcomes is [nameof(Outcome.WouldRevoke)])
                return (SmokeCheck.Pass(DryRunCheck, $"200 WouldRevoke for {settings.TestUser}, request {requestId}"), requestId);
            if (reason == nameof(ReasonCode.UserNotFound))
            {
                return (SmokeCheck.Fail(DryRunCheck, $"{(int)response.StatusCode} UserNotFound: the tenant has no user {settings.TestUser}",
                    "set SMOKE_TEST_USER (--test-user) to a user that exists in the tenant"), requestId);
            }
            if (response.StatusCode != HttpStatusCode.OK)
                return (RefusedCheck(DryRunCheck, response, json), requestId);
            return (SmokeCheck.Fail(DryRunCheck, $"200 but outcome {string.Join(", ", outcomes)} {reason}".TrimEnd(),
                "the app answered, but not WouldRevoke for the test user: see the reason in the README's dead-letter codes, or use a plain member account"), requestId);
        }
    }

    /// <summary>
    /// Reads the dry run's request back. Dry runs are not recorded, so 404 <c>revocation-not-found</c> is the right
    /// answer: it proves the endpoint, the caller's role and that the ledger answered (503 would name the ledger).
    /// </summary>
    internal async Task<SmokeCheck> StatusAsync(string? requestId, CancellationToken cancellationToken)
    {
        if (requestId is null)
            return SmokeCheck.Fail(StatusCheck, "not run: the dry run gave no request ID", "fix the dry run first");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/revocations/" + Uri.EscapeDataString(requestId));
        var (response, failure) = await SendAsync(request, StatusCheck, cancellationToken);
        if (failure is not null)
            return failure;
        using (response)
        {
            var json = await ReadJsonAsync(response!, cancellationToken);
            var type = ProblemType(json);
            if (response!.StatusCode == HttpStatusCode.NotFound && type == "revocation-not-found")
                return SmokeCheck.Pass(StatusCheck, $"404 revocation-not-found for {requestId}: dry runs are not recorded, and the ledger answered");
            if (response.StatusCode == HttpStatusCode.OK)
                return SmokeCheck.Pass(StatusCheck, $"200 for {requestId}: the ledger holds the request");
            if (type == "ledger-unavailable")
            {
                return SmokeCheck.Fail(StatusCheck, $"503 ledger-unavailable: {Detail(json)}",
                    "check Ledger__serviceUri and that the managed identity has Storage Table Data Contributor on the storage account");
            }
            return RefusedCheck(StatusCheck, response, json);
        }
    }

    /// <summary>
    /// Sends valid JSON of no supported shape with a unique MessageId; the queue trigger must dead-letter it
    /// <c>UnknownSchema</c>, which proves the trigger runs with explicit settlement and a reason. The letter is removed.
    /// </summary>
    internal async Task<SmokeCheck> DeadLetterAsync(IProgress<SmokeProgress>? progress, CancellationToken cancellationToken)
    {
        var messageId = $"revoke-smoke-{runId}";
        var sentAt = time.GetUtcNow();
        var message = new ServiceBusMessage(BinaryData.FromString($$"""{"revokeSmokeTest":"{{runId}}","note":"must be dead-lettered UnknownSchema"}"""))
        {
            MessageId = messageId,
            ContentType = "application/json",
            Subject = "revoke smoke",
        };
        try
        {
            await connections.Queue.SendMessageAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or ServiceBusException or AuthenticationFailedException or CredentialUnavailableException)
        {
            return SmokeCheck.Fail(DeadLetterCheck, $"could not send to {settings.QueueName}: {FirstLine(ex.Message)}",
                ex is UnauthorizedAccessException
                    ? "give your account Azure Service Bus Data Sender and Data Receiver on the queue"
                    : "check --namespace / SERVICEBUS_FULLY_QUALIFIED_NAMESPACE and your sign-in (az login)");
        }

        var deadline = sentAt + settings.DeadLetterWait;
        try
        {
            while (true)
            {
                var elapsed = time.GetUtcNow() - sentAt;
                progress?.Report(new SmokeProgress($"waiting for {messageId} in the dead-letter queue", elapsed.TotalSeconds, settings.DeadLetterWait.TotalSeconds));
                // Peeked, never locked: other dead letters are left exactly as they are.
                var found = (await connections.DeadLetters.ListAsync(new DeadLetterFilter(Since: sentAt.AddMinutes(-5)), cancellationToken))
                    .FirstOrDefault(l => l.MessageId == messageId);
                if (found is not null)
                    return await SettleFoundAsync(found, time.GetUtcNow() - sentAt, cancellationToken);
                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                    break;
                await Task.Delay(left < settings.PollInterval ? left : settings.PollInterval, time, cancellationToken);
            }
        }
        catch (DeadLetterAccessException ex)
        {
            return SmokeCheck.Fail(DeadLetterCheck, FirstLine(ex.Message), "give your account Azure Service Bus Data Receiver on the queue");
        }
        return SmokeCheck.Fail(DeadLetterCheck,
            $"{messageId} was not dead-lettered within {Seconds(settings.DeadLetterWait)}",
            "check that the app runs and was built with its queue trigger (ServiceBusTrigger on), that the managed identity has Azure Service Bus "
            + $"Data Receiver on the queue, and the app's logs for {messageId}; then remove it with 'revoke dlq list' and 'revoke dlq discard'");
    }

    private async Task<SmokeCheck> SettleFoundAsync(DeadLetter letter, TimeSpan after, CancellationToken cancellationToken)
    {
        var removed = await connections.DeadLetters.DiscardAsync(letter.SequenceNumber, confirm: true, cancellationToken);
        var gone = removed.Results is [{ Outcome: ResubmitOutcome.Discarded }];
        var cleanup = gone ? "removed" : $"still there: remove it with 'revoke dlq discard {letter.SequenceNumber} --confirm'";
        if (letter.Reason != nameof(ReasonCode.UnknownSchema))
        {
            return SmokeCheck.Fail(DeadLetterCheck, $"dead-lettered as {letter.Reason ?? "(no reason)"}, not UnknownSchema; {cleanup}",
                $"see 'revoke dlq show' for the description; {letter.Reason} is explained in the README's dead-letter codes");
        }
        return gone
            ? SmokeCheck.Pass(DeadLetterCheck, $"dead-lettered UnknownSchema after {Seconds(after)}, letter {letter.SequenceNumber} removed")
            : SmokeCheck.Fail(DeadLetterCheck, $"dead-lettered UnknownSchema after {Seconds(after)}, but the letter is {cleanup}",
                "give your account Azure Service Bus Data Receiver on the queue, then remove the letter");
    }

    /// <summary>The managed identity holds the Graph application permissions the app needs (by app-role assignment).</summary>
    internal async Task<SmokeCheck> GraphPermissionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var graph = await connections.Graph.ServicePrincipalsWithAppId(GraphAppId)
                .GetAsync(r => r.QueryParameters.Select = ["id", "appRoles"], cancellationToken);
            var roleNames = (graph?.AppRoles ?? []).Where(r => r.Id is not null && r.Value is not null).ToDictionary(r => r.Id!.Value, r => r.Value!);

            var granted = new HashSet<string>(StringComparer.Ordinal);
            var page = await connections.Graph.ServicePrincipals[settings.IdentityPrincipalId].AppRoleAssignments.GetAsync(cancellationToken: cancellationToken);
            while (page is not null)
            {
                foreach (var assignment in page.Value ?? [])
                {
                    if (assignment.ResourceId == Guid.Parse(graph!.Id!) && assignment.AppRoleId is { } role && roleNames.TryGetValue(role, out var name))
                        granted.Add(name);
                }
                page = page.OdataNextLink is { } next
                    ? await connections.Graph.ServicePrincipals[settings.IdentityPrincipalId].AppRoleAssignments.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                    : null;
            }

            var missing = RequiredGraphPermissions.Where(p => !granted.Contains(p)).ToList();
            return missing.Count == 0
                ? SmokeCheck.Pass(GraphCheck, $"managed identity {settings.IdentityPrincipalId} holds {string.Join(", ", RequiredGraphPermissions)}")
                : SmokeCheck.Fail(GraphCheck, $"managed identity {settings.IdentityPrincipalId} lacks {string.Join(", ", missing)}", GrantFix);
        }
        catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
        {
            return SmokeCheck.Fail(GraphCheck, $"no service principal {settings.IdentityPrincipalId}: {FirstLine(ex.Error?.Message ?? ex.Message)}",
                "set --identity-principal-id / AZURE_MANAGED_IDENTITY_PRINCIPAL_ID to the app's managed identity (an azd output)");
        }
        catch (ODataError ex)
        {
            return SmokeCheck.Fail(GraphCheck, $"Graph answered {ex.ResponseStatusCode}: {FirstLine(ex.Error?.Message ?? ex.Message)}",
                "sign in with an account that can read service principals (any member can, unless the tenant restricts it; else Directory Readers)");
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException or HttpRequestException or FormatException)
        {
            return SmokeCheck.Fail(GraphCheck, $"could not ask Graph: {FirstLine(ex.Message)}", "sign in with az login or azd auth login, then run again");
        }
    }

    /// <summary>Sends with the operator's token for the API; a failure to sign in or to reach the app is the check's failure.</summary>
    private async Task<(HttpResponseMessage? Response, SmokeCheck? Failure)> SendAsync(HttpRequestMessage request, string check, CancellationToken cancellationToken)
    {
        AccessToken token;
        try
        {
            token = await connections.Caller.GetTokenAsync(new TokenRequestContext([settings.ApiScope]), cancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationFailedException or CredentialUnavailableException)
        {
            return (null, SmokeCheck.Fail(check, $"no token for {settings.ApiScope}: {FirstLine(ex.Message)}",
                "sign in (az login or azd auth login); if Entra ID asks for consent (AADSTS65001), run the postprovision hook again: it "
                + "pre-authorises the Azure CLI on the API app registration"));
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        try
        {
            return (await connections.App.SendAsync(request, cancellationToken), null);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, SmokeCheck.Fail(check, $"{connections.App.BaseAddress} did not answer: {FirstLine(ex.Message)}",
                "check --app-url / AZURE_FUNCTION_APP_HOSTNAME and that the deployment finished (azd deploy)"));
        }
    }

    private static SmokeCheck RefusedCheck(string check, HttpResponseMessage response, JsonElement? json)
    {
        var status = (int)response.StatusCode;
        var what = $"{status} {ProblemType(json) ?? response.ReasonPhrase}: {Detail(json)}".TrimEnd(' ', ':');
        var fix = status switch
        {
            401 => "App Service Authentication refused the token: check that API_APP_CLIENT_ID is the API app registration the app's authentication uses",
            403 => "your account lacks the app role Revocations.Submit: sh infra/scripts/assign-caller-role.sh <your UPN>, then az login again for a new token",
            404 when json is null => "the app has no /api/revocations: deploy the app (azd deploy) and check --app-url",
            _ when status >= 500 => "the app failed: look up the request in Application Insights (docs/queries.kql) and the function app's logs",
            _ => "see the problem details above",
        };
        return SmokeCheck.Fail(check, what, fix);
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ProblemType(JsonElement? json) =>
        json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("type", out var t) && t.GetString() is { } type
            ? type[(type.LastIndexOfAny([':', '/']) + 1)..]
            : null;

    private static string Detail(JsonElement? json) =>
        json is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("detail", out var d) ? TerminalText.Line(d.GetString(), 200) : "";

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0}s");

    private static string FirstLine(string text) => TerminalText.Line(text.Split('\n')[0], 300);
}
