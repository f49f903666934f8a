using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.WriteBack;
using static RevokeFunctions.Tests.WriteBack.WriteBackScenario;

namespace RevokeFunctions.Tests.WriteBack;

/// <summary>The manager email: Graph <c>GET /users/{id}/manager</c> and <c>POST /users/{sender}/sendMail</c> against the sandbox.</summary>
public sealed class ManagerEmailTests
{
    [Fact]
    public async Task The_manager_of_each_revoked_user_is_told_from_the_one_sending_mailbox()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Tenant.SetManager(FixtureUsers.Bob, FixtureUsers.Grace);

        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        // Bob's manager is told; Carmen has none in the directory, so nobody is.
        var mail = Assert.Single(host.Sandbox.SentMail);
        Assert.Equal("tessa.morgan@contoso.com", mail.Sender);
        Assert.Equal(["grace.kim@contoso.com"], mail.To);
        Assert.Equal("Sign-in sessions ended for bob.kowalski@contoso.com", mail.Subject);
        Assert.Equal("html", mail.ContentType, ignoreCase: true);
        Assert.Contains("Continuous Access Evaluation", mail.Body, StringComparison.Ordinal);
        Assert.Contains("sentinel-incident #4821", mail.Body, StringComparison.Ordinal);
        Assert.False(mail.SaveToSentItems);
        Assert.Equal(ChannelStatus.Done, report.For(WriteBackChannel.ManagerEmail)?.Status);
        var lines = (await host.RecordAsync()).Where(r => r.RowKey != "request").ToDictionary(r => r.GetString("UserId")!);
        Assert.Equal("Sent", lines[FixtureUsers.Bob].GetString("ManagerMail"));
        Assert.Equal("NoManager", lines[FixtureUsers.Carmen].GetString("ManagerMail"));
    }

    [Fact]
    public async Task A_retried_request_mails_nobody_twice()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Tenant.SetManager(FixtureUsers.Bob, FixtureUsers.Grace);

        await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));
        var report = await DispatchAsync(host, await OverHttpAsync(host, SentinelIncident(), Automated()));

        Assert.Single(host.Sandbox.SentMail);
        Assert.Same(WriteBackReport.Nothing, report);
    }

    [Fact]
    public async Task Mail_refused_by_Exchange_leaves_the_revocation_standing_and_is_recorded()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Tenant.SetManager(FixtureUsers.Bob, FixtureUsers.Grace);
        // What Graph answers when the application access policy does not cover the sender.
        host.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "/sendMail", StatusCode = 403, ErrorCode = "ErrorAccessDenied", Times = 100 });

        var outcome = await OverHttpAsync(host, SentinelIncident(), Automated());
        var report = await DispatchAsync(host, outcome);

        Assert.All(outcome.Result.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.Empty(host.Sandbox.SentMail);
        var mail = report.For(WriteBackChannel.ManagerEmail)!;
        Assert.Equal((ChannelStatus.Failed, "Microsoft Graph answered 403 ErrorAccessDenied"), (mail.Status, mail.Problem));
        Assert.Equal("Failed", (await host.RequestRowAsync()).GetString("ManagerEmailStatus"));
    }

    [Fact]
    public async Task Nobody_is_mailed_about_a_user_who_was_not_revoked_now()
    {
        await using var host = await WriteBackHost.StartAsync();
        host.Sandbox.Tenant.SetManager(FixtureUsers.Alice, FixtureUsers.Grace);
        // Someone else revoked Alice after the event: already revoked, nothing to tell.
        host.Sandbox.Tenant.SetSignInSessionsValidFrom(FixtureUsers.Alice, DateTimeOffset.UtcNow.AddMinutes(1));

        var report = await DispatchAsync(host, await OverHttpAsync(host, Native("alice@contoso.com"), Person()));

        Assert.Empty(host.Sandbox.SentMail);
        Assert.Equal(ChannelStatus.NotApplicable, report.For(WriteBackChannel.ManagerEmail)?.Status);
    }
}
