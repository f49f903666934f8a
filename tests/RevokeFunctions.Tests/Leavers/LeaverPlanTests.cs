using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RevokeFunctions.Leavers;
using RevokeFunctions.Ledger;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;
using RevokeFunctions.Tests.Cli;
using RevokeFunctions.Tests.Ledger;
using RevokeFunctions.Tests.Platform;
using RevokeFunctions.Tests.Queue;
using RevokeFunctions.Tests.WriteBack;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Leavers;

/// <summary>
/// A leaver is a plan that can change until it happens: HR messages about one employee through the real queue handler,
/// the scheduled copies it sends handed back to it when their time comes (a clock the test moves), the ledger and the
/// plans on Azurite, Graph in the sandbox, <c>Leavers:DisableAccount</c> on.
/// </summary>
public sealed class LeaverPlanTests
{
    private const string Nadia = "4aae69d9-7d36-4ac0-bb98-71dc9cc8c8fc";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string?> DisableOn => new() { ["Leavers:DisableAccount"] = "true" };

    private static string Leaver(DateTimeOffset effective, DateTimeOffset? submitted, string ticket = "HR-2026-01201", string type = "leaver") =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["schemaVersion"] = "1.0",
            ["messageType"] = type,
            ["sourceSystem"] = "Workday",
            ["ticket"] = ticket,
            ["employeeId"] = "100655",
            ["userPrincipalName"] = "nadia.rahman@contoso.com",
            ["effectiveDate"] = type == "leaver" ? effective.ToString("O") : null,
            ["submittedAt"] = submitted?.ToString("O"),
        }.Where(p => p.Value is not null).ToDictionary());

    private static string Rescind(DateTimeOffset submitted, string ticket = "HR-2026-01201") => Leaver(default, submitted, ticket, "leaverRescinded");

    /// <summary>One message from HR, arriving now by the test's clock; returns its settlement and request ID.</summary>
    private static async Task<(SettlementCall Settlement, string RequestId)> ArriveAsync(
        QueueTestEnvironment env, ManualTimeProvider clock, string body, string? messageId = null)
    {
        messageId ??= Guid.NewGuid().ToString("D");
        var (_, port) = await env.HandleAsync(QueueMessages.Received(body, messageId: messageId, enqueuedAt: clock.Now));
        return (port.Only, RevocationEnvelope.RequestIdFor(messageId));
    }

    /// <summary>The scheduled copy of a request, fired at its time: the clock moves there and the copy goes back to the handler.</summary>
    private static async Task<SettlementCall> FireAsync(QueueTestEnvironment env, ManualTimeProvider clock, string requestId)
    {
        var copy = Assert.Single(env.Sender.Sent, s => (string)s.Message.ApplicationProperties[QueueProperties.RequestId] == requestId && s.ScheduledFor is not null
            && s.Message.Subject == "deferred");
        clock.Now = copy.ScheduledFor!.Value.AddSeconds(1);
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(copy));
        return port.Only;
    }

    private static async Task<JsonElement> StatusAsync(QueueTestEnvironment env, string requestId)
    {
        var answer = await LedgerHttp.GetStatusAsync(env.Services, requestId);
        Assert.Equal(200, answer.Status);
        return Assert.Single(answer.Body.GetProperty("targets").EnumerateArray().ToList());
    }

    private static int Disables(QueueTestEnvironment env) =>
        env.Sandbox.Requests.Count(r => r.Method == "PATCH" && r.Path.EndsWith("/users/" + Nadia, StringComparison.Ordinal));

    [Fact]
    public async Task Rescheduled_later_the_first_copy_fires_as_Superseded_and_nothing_happens_until_the_new_date()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

        var (_, first) = await ArriveAsync(env, clock, Leaver(Start.AddDays(10), Start.AddHours(-1)));
        var (_, second) = await ArriveAsync(env, clock, Leaver(Start.AddDays(20), Start));

        var status = await StatusAsync(env, first);
        Assert.Equal("Superseded", status.GetProperty("plan").GetProperty("state").GetString());
        Assert.Equal(second, status.GetProperty("plan").GetProperty("supersededBy").GetString());
        Assert.Equal(Start.AddDays(10), status.GetProperty("plan").GetProperty("dueAt").GetDateTimeOffset());

        var old = await FireAsync(env, clock, first);
        Assert.Equal(Kind.Complete, old.Kind);
        Assert.Equal(0, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(0, Disables(env));
        Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        status = await StatusAsync(env, first);
        Assert.Equal(nameof(Outcome.Superseded), status.GetProperty("outcome").GetString());
        Assert.Equal(nameof(ReasonCode.LeaverSuperseded), status.GetProperty("reason").GetString());
        Assert.Equal(second, status.GetProperty("plan").GetProperty("supersededBy").GetString());

        var current = await FireAsync(env, clock, second);
        Assert.Equal(Kind.Complete, current.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.False(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        Assert.Equal("Executed", (await StatusAsync(env, second)).GetProperty("plan").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Rescheduled_earlier_the_new_date_revokes_and_the_old_copy_does_nothing_later()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

        var (_, first) = await ArriveAsync(env, clock, Leaver(Start.AddDays(20), Start.AddHours(-1)));
        var (_, second) = await ArriveAsync(env, clock, Leaver(Start.AddDays(10), Start));

        Assert.Equal(Kind.Complete, (await FireAsync(env, clock, second)).Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(1, Disables(env));

        // Someone re-enables the account in between (a contractor kept on): the old plan must not disable it again.
        env.Sandbox.Tenant.SetAccountEnabled(Nadia, true);
        Assert.Equal(Kind.Complete, (await FireAsync(env, clock, first)).Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(1, Disables(env));
        Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        Assert.Equal(nameof(Outcome.Superseded), (await StatusAsync(env, first)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Rescinded_before_the_date_the_copy_fires_as_Cancelled_and_nothing_is_revoked_or_disabled()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

        var (_, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddDays(10), Start.AddHours(-1)));
        var (rescindSettlement, rescind) = await ArriveAsync(env, clock, Rescind(Start));

        Assert.Equal(Kind.Complete, rescindSettlement.Kind);
        var rescindStatus = await StatusAsync(env, rescind);
        Assert.Equal(nameof(Outcome.Cancelled), rescindStatus.GetProperty("outcome").GetString());
        Assert.Contains(leaver, rescindStatus.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(rescind, (await StatusAsync(env, leaver)).GetProperty("plan").GetProperty("cancelledBy").GetString());

        Assert.Equal(Kind.Complete, (await FireAsync(env, clock, leaver)).Kind);
        Assert.Equal(0, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(0, Disables(env));
        var status = await StatusAsync(env, leaver);
        Assert.Equal(nameof(Outcome.Cancelled), status.GetProperty("outcome").GetString());
        Assert.Equal(nameof(ReasonCode.LeaverRescinded), status.GetProperty("reason").GetString());
        Assert.Equal(rescind, status.GetProperty("plan").GetProperty("cancelledBy").GetString());
    }

    [Fact]
    public async Task Rescinded_after_the_revocation_ran_nothing_changes_in_Entra_and_the_rescind_is_dead_lettered_for_a_person()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

        var (executed, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddDays(-3)));
        Assert.Equal(Kind.Complete, executed.Kind);
        Assert.False(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        var requestsBefore = env.Sandbox.Requests.Count(r => r.Method != "GET");

        var (rescinded, rescind) = await ArriveAsync(env, clock, Rescind(Start.AddMinutes(-5)));

        Assert.Equal(Kind.DeadLetter, rescinded.Kind);
        Assert.Equal(nameof(ReasonCode.LeaverAlreadyExecuted), rescinded.Reason);
        Assert.Contains("re-enables the account", rescinded.Description, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, env.Sandbox.Requests.Count(r => r.Method != "GET"));
        Assert.False(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        var status = await StatusAsync(env, rescind);
        Assert.Equal(nameof(Outcome.Refused), status.GetProperty("outcome").GetString());
        Assert.Contains(leaver, status.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_leaver_arriving_after_a_newer_one_does_not_win_and_schedules_nothing()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

        var (_, newer) = await ArriveAsync(env, clock, Leaver(Start.AddDays(20), Start));
        var (late, older) = await ArriveAsync(env, clock, Leaver(Start.AddDays(10), Start.AddHours(-1)));

        Assert.Equal(Kind.Complete, late.Kind);
        Assert.DoesNotContain(env.Sender.Sent, s => (string)s.Message.ApplicationProperties[QueueProperties.RequestId] == older);
        var status = await StatusAsync(env, older);
        Assert.Equal(nameof(Outcome.Superseded), status.GetProperty("outcome").GetString());
        Assert.Equal(newer, status.GetProperty("plan").GetProperty("supersededBy").GetString());

        clock.Now = Start.AddDays(10).AddSeconds(1);
        Assert.Equal(0, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(Kind.Complete, (await FireAsync(env, clock, newer)).Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
    }

    [Fact]
    public async Task A_leaver_arriving_after_the_rescind_that_was_sent_after_it_is_Cancelled()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

        var (_, rescind) = await ArriveAsync(env, clock, Rescind(Start));
        var (late, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddHours(-1)));

        Assert.Equal(Kind.Complete, late.Kind);
        Assert.Empty(env.Sender.Sent);
        Assert.Equal(0, env.Sandbox.RevocationCount(Nadia));
        Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        var status = await StatusAsync(env, leaver);
        Assert.Equal(nameof(Outcome.Cancelled), status.GetProperty("outcome").GetString());
        Assert.Equal(rescind, status.GetProperty("plan").GetProperty("cancelledBy").GetString());
    }

    [Theory]
    [InlineData("a GUID each time (the ledger's source scope answers the resend)", false)]
    [InlineData("an ID of its own each time (only the plan knows the resend)", true)]
    public async Task A_late_duplicate_of_an_executed_leaver_is_not_executed_again(string messageIds, bool ownIds)
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);
        var body = Leaver(Start.AddHours(-2), Start.AddDays(-3));

        var (_, first) = await ArriveAsync(env, clock, body, ownIds ? "workday/HR-2026-01201/send 1" : null);
        Assert.Equal(1, Disables(env));
        // A person keeps the account on (re-enabled by hand); HR's system resends the same message a day later.
        env.Sandbox.Tenant.SetAccountEnabled(Nadia, true);
        clock.Now = Start.AddDays(1);
        var (again, duplicate) = await ArriveAsync(env, clock, body, ownIds ? "workday/HR-2026-01201/send 2" : null);

        Assert.Equal(Kind.Complete, again.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(1, Disables(env));
        Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled, messageIds);
        var status = await StatusAsync(env, duplicate);
        if (ownIds)
        {
            Assert.Equal(nameof(Outcome.Superseded), status.GetProperty("outcome").GetString());
            Assert.Equal(first, status.GetProperty("plan").GetProperty("supersededBy").GetString());
        }
        else
        {
            Assert.Equal(first, status.GetProperty("firstRequestId").GetString());
        }
    }

    [Fact]
    public async Task A_transient_disable_failure_is_retried_and_the_retry_disables_without_revoking_again()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);
        env.Sandbox.Inject(new SandboxFault { Method = "PATCH", PathContains = "/users/", StatusCode = 503, Times = 3 });

        var (settlement, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddDays(-3)));

        Assert.Equal(Kind.Complete, settlement.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        var retry = Assert.Single(env.Sender.Sent);
        Assert.Equal("retry", retry.Message.Subject);
        var status = await StatusAsync(env, leaver);
        Assert.Equal(nameof(Outcome.Failed), status.GetProperty("outcome").GetString());
        Assert.Contains("Sessions revoked", status.GetProperty("detail").GetString(), StringComparison.Ordinal);

        clock.Now = retry.ScheduledFor!.Value.AddSeconds(1);
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(retry));

        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.False(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        status = await StatusAsync(env, leaver);
        Assert.Equal(nameof(Outcome.Revoked), status.GetProperty("outcome").GetString());
        Assert.Contains("by an earlier attempt of this request", status.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("also disabled", status.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Executed", status.GetProperty("plan").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_leaver_whose_disable_is_retried_still_has_its_revocation_proven()
    {
        // The sessions are revoked on the first attempt, which ends Failed only for the disable; the retry does not revoke
        // again. The proof belongs to the first attempt's revocation, so it must be due from then, not lost between the two.
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);
        env.Sandbox.Inject(new SandboxFault { Method = "PATCH", PathContains = "/users/", StatusCode = 503, Times = 3 });
        var (_, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddDays(-3)));
        Assert.Equal("Pending", (await StatusAsync(env, leaver)).GetProperty("verification").GetString());

        var retry = Assert.Single(env.Sender.Sent);
        clock.Now = retry.ScheduledFor!.Value.AddSeconds(1);
        await env.HandleAsync(QueueMessages.Delivered(retry));
        var proven = await env.Services.GetRequiredService<RevocationVerifier>().VerifyDueAsync(CancellationToken.None);

        Assert.Equal(VerificationState.Verified, Assert.Single(proven).State);
        var status = await StatusAsync(env, leaver);
        Assert.Equal(nameof(Outcome.Revoked), status.GetProperty("outcome").GetString());
        Assert.Equal("Verified", status.GetProperty("verification").GetString());
        Assert.True(status.GetProperty("verified").GetBoolean());
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
    }

    [Fact]
    public async Task A_rescind_between_the_revocation_and_the_disable_retry_cancels_the_disable()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);
        env.Sandbox.Inject(new SandboxFault { Method = "PATCH", PathContains = "/users/", StatusCode = 503, Times = 3 });
        var (_, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddDays(-3)));
        var retry = Assert.Single(env.Sender.Sent);

        var (rescinded, _) = await ArriveAsync(env, clock, Rescind(Start));
        clock.Now = retry.ScheduledFor!.Value.AddSeconds(1);
        var (_, port) = await env.HandleAsync(QueueMessages.Delivered(retry));

        Assert.Equal(Kind.DeadLetter, rescinded.Kind);
        Assert.Equal(nameof(ReasonCode.LeaverAlreadyExecuted), rescinded.Reason);
        Assert.Contains("disabling the account, still due, is cancelled", rescinded.Description, StringComparison.Ordinal);
        Assert.Equal(Kind.Complete, port.Only.Kind);
        Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
        Assert.Equal(3, Disables(env)); // only the first delivery's three failed tries (the SDK retries twice) reached Graph
        Assert.Equal(nameof(Outcome.Cancelled), (await StatusAsync(env, leaver)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_dry_run_of_a_due_leaver_neither_disables_nor_writes_a_plan()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(new Dictionary<string, string?>(DisableOn) { ["Guards:DryRun"] = "true" }, clock);

        var (settlement, _) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddDays(-3)));

        Assert.Equal(Kind.Complete, settlement.Kind);
        Assert.Equal(0, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(0, Disables(env));
        Assert.Null(await env.Services.GetRequiredService<LeaverPlanStore>().FindAsync(Nadia, CancellationToken.None));
    }

    [Fact]
    public async Task A_rescind_racing_the_revocation_never_reports_Cancelled_for_a_leaver_that_was_revoked()
    {
        for (var round = 0; round < 4; round++)
        {
            var clock = new ManualTimeProvider(Start);
            await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);

            // Two instances at once: one runs the due leaver, the other the rescind HR sent a minute later.
            var leaving = ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddMinutes(-2)));
            var rescinding = ArriveAsync(env, clock, Rescind(Start.AddMinutes(-1)));
            var (_, leaver) = await leaving;
            var (rescinded, _) = await rescinding;

            var revoked = env.Sandbox.RevocationCount(Nadia);
            var leaverOutcome = (await StatusAsync(env, leaver)).GetProperty("outcome").GetString();
            if (rescinded.Kind == Kind.Complete)
            {
                // The rescind won: nothing was done, and the leaver says so.
                Assert.Equal(0, revoked);
                Assert.True(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
                Assert.Equal(nameof(Outcome.Cancelled), leaverOutcome);
            }
            else
            {
                // The leaver won: it ran whole, and the rescind was told it came too late.
                Assert.Equal(nameof(ReasonCode.LeaverAlreadyExecuted), rescinded.Reason);
                Assert.Equal(1, revoked);
                Assert.False(env.Sandbox.Tenant.FindById(Nadia)!.AccountEnabled);
                Assert.Equal(nameof(Outcome.Revoked), leaverOutcome);
            }
        }
    }

    [Fact]
    public async Task A_rescind_after_the_revocation_is_posted_to_the_webhook_once()
    {
        await using var host = await WriteBackHost.StartAsync(new Dictionary<string, string?>(DisableOn));
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await ArriveAsync(host.Env, clock, Leaver(clock.Now.AddHours(-2), clock.Now.AddDays(-3)));
        await host.DeliverAsync();
        var before = host.Webhook.Requests.Count;

        var (rescinded, rescind) = await ArriveAsync(host.Env, clock, Rescind(clock.Now.AddMinutes(-5)));
        await host.DeliverAsync();
        await host.DeliverAsync();

        Assert.Equal(Kind.DeadLetter, rescinded.Kind);
        using var body = JsonDocument.Parse(Assert.Single(host.Webhook.Requests.Skip(before)).Body);
        Assert.Equal("leaver-rescinded-too-late", body.RootElement.GetProperty("event").GetString());
        Assert.Equal(rescind, body.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("nadia.rahman@contoso.com", body.RootElement.GetProperty("users").GetString());
        Assert.Equal(nameof(ReasonCode.LeaverAlreadyExecuted), body.RootElement.GetProperty("reason").GetString());
        Assert.Contains("nothing was changed in Entra", body.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_HTTP_a_superseded_leaver_is_200_and_a_rescind_after_the_revocation_is_409()
    {
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn);
        var now = DateTimeOffset.UtcNow;

        var executed = await env.PostAsync(Leaver(now.AddHours(-2), now.AddDays(-3)));
        var older = await env.PostAsync(Leaver(now.AddHours(-1), now.AddDays(-4), ticket: "HR-2026-00999"));
        var rescind = await env.PostAsync(Rescind(now.AddMinutes(-1)));

        Assert.Equal(200, executed.Status);
        Assert.Equal(200, older.Status);
        var superseded = Assert.Single(older.Body.GetProperty("results").EnumerateArray().ToList());
        Assert.Equal("Superseded", superseded.GetProperty("outcome").GetString());
        Assert.Equal(409, rescind.Status);
        Assert.Equal("urn:revokefunctions:problem:leaver-already-executed", rescind.Body.GetProperty("type").GetString());
        Assert.Equal(nameof(ReasonCode.LeaverAlreadyExecuted), rescind.Body.GetProperty("reasonCode").GetString());
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(1, Disables(env));
    }

    [Fact]
    public async Task With_the_plan_store_unreachable_a_due_leaver_waits_and_is_retried_instead_of_acting_blind()
    {
        var clock = new ManualTimeProvider(Start);
        var unreachable = new TableServiceClient(
            UnreachableDependencies.StorageAccount()["Ledger:connectionString"], new TableClientOptions { Retry = { MaxRetries = 0 } });
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock, replace: services =>
            services.AddSingleton<LeaverPlanStore>(new TableLeaverPlanStore(unreachable, Options.Create(new LedgerOptions()))));

        var (settlement, leaver) = await ArriveAsync(env, clock, Leaver(Start.AddHours(-2), Start.AddDays(-3)));

        Assert.Equal(Kind.Complete, settlement.Kind);
        Assert.Equal("retry", Assert.Single(env.Sender.Sent).Message.Subject);
        Assert.Equal(0, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(0, Disables(env));
        var status = await StatusAsync(env, leaver);
        Assert.Equal(nameof(Outcome.Failed), status.GetProperty("outcome").GetString());
        Assert.Equal(nameof(ReasonCode.LeaverPlanUnavailable), status.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Of_two_writers_holding_the_same_plan_only_the_first_wins()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var store = env.Services.GetRequiredService<LeaverPlanStore>();
        var plan = new LeaverPlan(Nadia, "leaver-1", LeaverAction.Leave, LeaverPlanState.Pending) { Ticket = "HR-1", DueAt = Start, ReceivedAt = Start };

        var added = await store.TryAddAsync(plan, CancellationToken.None);
        Assert.Null(await store.TryAddAsync(plan with { CurrentRequestId = "leaver-2" }, CancellationToken.None));
        var read = await store.FindAsync(Nadia.ToUpperInvariant(), CancellationToken.None);

        var rescind = await store.TryReplaceAsync(read! with { CurrentRequestId = "rescind-1", Action = LeaverAction.Rescind, State = LeaverPlanState.Cancelled },
            CancellationToken.None);
        var claim = await store.TryReplaceAsync(read! with { State = LeaverPlanState.Executing, ClaimedAt = Start }, CancellationToken.None);

        Assert.NotNull(added);
        Assert.NotNull(rescind);
        Assert.Null(claim);
        var now = await store.FindAsync(Nadia, CancellationToken.None);
        Assert.Equal(("rescind-1", LeaverPlanState.Cancelled), (now!.CurrentRequestId, now.State));
    }

    [Fact]
    public async Task Revoke_status_shows_the_plan_due_time_and_what_superseded_or_cancelled_it()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(time: clock);
        var (_, first) = await ArriveAsync(env, clock, Leaver(Start.AddDays(10), Start.AddHours(-2)));
        var (_, second) = await ArriveAsync(env, clock, Leaver(Start.AddDays(20), Start.AddHours(-1)));
        var (_, rescind) = await ArriveAsync(env, clock, Rescind(Start));
        var ledger = new Dictionary<string, string?>
        {
            ["Ledger__connectionString"] = "UseDevelopmentStorage=true",
            ["Ledger__TableName"] = env.Services.GetRequiredService<IOptions<LedgerOptions>>().Value.TableName,
        };
        var cli = Path.Combine(AppContext.BaseDirectory, "revoke.dll");

        var (exit, json, error) = await CliProcess.RunAsync("dotnet", [cli, "status", first, "--output", "json"], environment: ledger);
        var (_, table, _) = await CliProcess.RunAsync("dotnet", [cli, "status", second], environment: ledger);

        Assert.True(exit == 0, error);
        var plan = JsonDocument.Parse(json).RootElement.GetProperty("plan");
        Assert.Equal("leaver", plan.GetProperty("message").GetString());
        Assert.Equal(nameof(Outcome.Cancelled), plan.GetProperty("state").GetString());
        Assert.Equal(Start.AddDays(10), plan.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(rescind, plan.GetProperty("cancelledBy").GetString());
        Assert.Equal(rescind, plan.GetProperty("currentRequestId").GetString());
        Assert.Contains($"nadia.rahman@contoso.com: leaver Cancelled, due {Start.AddDays(20):yyyy-MM-dd HH:mm:ss}Z, cancelled by {rescind}", table,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ledger_purge_keeps_a_plan_until_it_is_due_and_removes_it_with_the_retention_after()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var store = env.Services.GetRequiredService<LeaverPlanStore>();
        var ledger = env.Services.GetRequiredService<IRevocationLedger>();
        const string Done = "9bda968c-0255-45a3-9894-9fc8b7c45cf5";
        var farOff = new DateTimeOffset(2099, 12, 31, 17, 0, 0, TimeSpan.Zero);
        await store.TryAddAsync(new LeaverPlan(Nadia, "leaver-far", LeaverAction.Leave, LeaverPlanState.Pending) { DueAt = farOff, UpdatedAt = Start }, CancellationToken.None);
        await store.TryAddAsync(new LeaverPlan(Done, "leaver-done", LeaverAction.Leave, LeaverPlanState.Executed) { DueAt = Start, UpdatedAt = Start }, CancellationToken.None);

        await ledger.PurgeAsync(Start.AddYears(2), CancellationToken.None);

        Assert.Equal("leaver-far", (await store.FindAsync(Nadia, CancellationToken.None))?.CurrentRequestId);
        Assert.Null(await store.FindAsync(Done, CancellationToken.None));
    }

    [Fact]
    public async Task A_pending_leaver_sent_twice_acts_once_whichever_copy_fires_first()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);
        var body = Leaver(Start.AddDays(10), Start.AddHours(-1));

        // Two MessageIds, one body: the ledger's source scope gives both requests one row; the plan says which acts.
        var (_, first) = await ArriveAsync(env, clock, body);
        var (_, resent) = await ArriveAsync(env, clock, body);
        var firstFired = await FireAsync(env, clock, first);
        var resentFired = await FireAsync(env, clock, resent);

        Assert.Equal((Kind.Complete, Kind.Complete), (firstFired.Kind, resentFired.Kind));
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
        Assert.Equal(1, Disables(env));
        Assert.Equal(nameof(Outcome.Revoked), (await StatusAsync(env, resent)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_leaver_the_CLI_finds_not_yet_due_does_not_take_the_plan_from_the_one_scheduled_on_the_queue()
    {
        var clock = new ManualTimeProvider(Start);
        await using var env = await QueueTestEnvironment.StartAsync(DisableOn, clock);
        var (_, queued) = await ArriveAsync(env, clock, Leaver(Start.AddDays(10), Start.AddHours(-1)));

        var cli = await env.Services.GetRequiredService<RevocationPipeline>().ProcessAsync(
            System.Text.Encoding.UTF8.GetBytes(Leaver(Start.AddDays(20), Start)), new RevocationContext("cli-run-1", RequestChannel.Cli, clock.Now),
            CancellationToken.None);

        Assert.Equal(Outcome.Deferred, Assert.Single(cli.Targets).Outcome);
        Assert.Equal(queued, (await env.Services.GetRequiredService<LeaverPlanStore>().FindAsync(Nadia, CancellationToken.None))?.CurrentRequestId);
        Assert.Equal(Kind.Complete, (await FireAsync(env, clock, queued)).Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(Nadia));
    }
}
