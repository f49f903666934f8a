using System.Text;
using System.Text.Json.Nodes;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Pipeline;

/// <summary>
/// The shapes real sources send (risky users, alert pages, Graph incidents, Defender for Endpoint alerts, beta risk
/// detections) through the whole pipeline: the Graph SDK against the sandbox, the ledger on Azurite. Each proves who
/// is revoked, that the people around the alert (assignees, comment authors, related and logged-on users) never are,
/// and how a refusal ends.
/// </summary>
public sealed class SourceShapePipelineTests
{
    private const string Kenji = "83ec76c8-bea5-4033-a192-044fb3907bca";
    private const string Sofia = "60921093-4357-41d1-b73a-4b2488b19bee";
    private const string Dmitri = "11e446ca-541a-4ff0-88a7-ac0106923a60";
    private const string Victor = "80c3651c-ae5f-4a71-b4b2-828aec789541";
    private const string Marcus = "a7d898df-aba0-4899-800c-818aea7804ac";

    private static async Task<(RevocationResult Result, RevocationContext Context)> RunAsync(TestEnvironment env, JsonNode payload)
    {
        var context = TestEnvironment.Context();
        var result = await env.Pipeline.ProcessAsync(Encoding.UTF8.GetBytes(payload.ToJsonString()), context, CancellationToken.None);
        return (result, context);
    }

    [Fact]
    public async Task A_risky_users_page_revokes_those_at_risk_and_refuses_a_remediated_one_as_RiskNotActive()
    {
        await using var env = await TestEnvironment.StartAsync();
        var page = SampleFiles.Object("risky-users.json");
        page["value"]![1]!["riskState"] = "remediated";
        page["value"]![1]!["riskDetail"] = "userPerformedSecuredPasswordReset";

        var (result, context) = await RunAsync(env, page);

        Assert.Null(result.Error);
        Assert.Equal(2, result.Targets.Count);
        Assert.Equal((Outcome.Revoked, (ReasonCode?)null, Kenji), (result.Targets[0].Outcome, result.Targets[0].Reason, result.Targets[0].UserId));
        Assert.Equal((Outcome.Refused, (ReasonCode?)ReasonCode.RiskNotActive, Sofia), (result.Targets[1].Outcome, result.Targets[1].Reason, result.Targets[1].UserId));
        Assert.Contains("userPerformedSecuredPasswordReset", result.Targets[1].Detail, StringComparison.Ordinal);
        Assert.Equal(1, env.Sandbox.RevocationCount(Kenji));
        Assert.Equal(0, env.Sandbox.RevocationCount(Sofia));
        Assert.Equal(1, env.Sandbox.TotalRevocations);

        var rows = await env.Ledger.ListAsync(context.RequestId, CancellationToken.None);
        var refused = Assert.Single(rows, r => r.UserId == Sofia);
        Assert.Equal(LedgerState.Refused, refused.State);
        Assert.Equal(ReasonCode.RiskNotActive, refused.Reason);
    }

    [Fact]
    public async Task A_dismissed_risky_user_is_refused_in_a_dry_run_and_on_every_repeat()
    {
        await using var env = await TestEnvironment.StartAsync();
        var user = SampleFiles.Object("risky-users.json")["value"]![0]!.DeepClone().AsObject();
        user["riskState"] = "dismissed";
        var body = Encoding.UTF8.GetBytes(user.ToJsonString());

        var dry = await env.Pipeline.ProcessAsync(body, TestEnvironment.Context(dryRun: true), CancellationToken.None);
        var first = await env.Pipeline.ProcessAsync(body, TestEnvironment.Context(), CancellationToken.None);
        var repeat = await env.Pipeline.ProcessAsync(body, TestEnvironment.Context(), CancellationToken.None);

        Assert.Equal(ReasonCode.RiskNotActive, Assert.Single(dry.Targets).Reason);
        Assert.Equal(ReasonCode.RiskNotActive, Assert.Single(first.Targets).Reason);
        // Only settled revocations are answered from the ledger; a refusal is decided again, the same way.
        Assert.Equal((Outcome.Refused, (ReasonCode?)ReasonCode.RiskNotActive), (Assert.Single(repeat.Targets).Outcome, repeat.Targets[0].Reason));
        Assert.Equal(0, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_Graph_alert_page_revokes_every_alerts_user_evidence_and_no_logged_on_user()
    {
        await using var env = await TestEnvironment.StartAsync();

        var (result, _) = await RunAsync(env, SampleFiles.Load("defender-xdr-alert-page.json"));

        Assert.Equal([Dmitri, FixtureUsers.Carmen], result.Targets.Select(t => t.UserId));
        Assert.All(result.Targets, t => Assert.Equal(Outcome.Revoked, t.Outcome));
        Assert.Equal(2, env.Sandbox.TotalRevocations);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Grace));
    }

    [Fact]
    public async Task A_bad_identifier_on_the_second_page_item_revokes_nobody_and_calls_no_Graph()
    {
        await using var env = await TestEnvironment.StartAsync();
        var page = SampleFiles.Object("defender-xdr-alert-page.json");
        page["value"]![1]!["evidence"]![0]!["userAccount"]!["azureAdUserId"] = "carmen.ruiz";

        var (result, _) = await RunAsync(env, page);

        Assert.Equal(ReasonCode.InvalidPayload, result.Error?.Reason);
        Assert.Equal("$.value[1].evidence[0].userAccount.azureAdUserId", result.Error!.Path);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_Graph_incident_revokes_its_alerts_user_never_the_assignee_or_a_comment_author()
    {
        await using var env = await TestEnvironment.StartAsync();

        var (result, context) = await RunAsync(env, SampleFiles.Load("defender-xdr-incident.json"));

        var target = Assert.Single(result.Targets);
        Assert.Equal((Outcome.Revoked, Victor), (target.Outcome, target.UserId));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Tessa));
        Assert.Equal(0, env.Sandbox.RevocationCount(Marcus));
        var row = Assert.Single(await env.Ledger.ListAsync(context.RequestId, CancellationToken.None));
        Assert.Equal("defender-xdr-incident", row.Source.Kind);
        Assert.Equal("8433", row.Source.Id);
    }

    [Fact]
    public async Task A_Graph_incident_without_alerts_is_no_target_user_and_touches_nobody()
    {
        await using var env = await TestEnvironment.StartAsync();
        var incident = SampleFiles.Object("defender-xdr-incident.json");
        incident.Remove("alerts");

        var (result, _) = await RunAsync(env, incident);

        Assert.Equal(PayloadErrorKind.NoTargetUser, result.Error?.Kind);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_Defender_for_Endpoint_alert_revokes_the_User_evidence_never_relatedUser_or_the_process_account()
    {
        await using var env = await TestEnvironment.StartAsync();

        var (result, _) = await RunAsync(env, SampleFiles.Load("defender-endpoint-alert.json"));

        var target = Assert.Single(result.Targets);
        Assert.Equal((Outcome.Revoked, FixtureUsers.Bob), (target.Outcome, target.UserId));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Grace));
        Assert.Equal(0, env.Sandbox.RevocationCount(FixtureUsers.Tessa));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task A_Defender_for_Endpoint_alert_naming_only_relatedUser_revokes_nobody()
    {
        await using var env = await TestEnvironment.StartAsync();
        var alert = SampleFiles.Object("defender-endpoint-alert.json");
        alert["evidence"]!.AsArray().RemoveAt(0);

        var (result, _) = await RunAsync(env, alert);

        Assert.Equal(PayloadErrorKind.NoTargetUser, result.Error?.Kind);
        Assert.Equal(0, env.Sandbox.TotalRevocations);
        Assert.Empty(env.Sandbox.Requests);
    }

    [Fact]
    public async Task A_beta_risk_detection_revokes_its_user_and_an_already_revoked_one_is_not_revoked_again()
    {
        await using var env = await TestEnvironment.StartAsync();
        var detection = SampleFiles.Load("risk-detection-beta.json");

        var (first, _) = await RunAsync(env, detection);
        var (second, _) = await RunAsync(env, detection);

        Assert.Equal((Outcome.Revoked, Marcus), (Assert.Single(first.Targets).Outcome, first.Targets[0].UserId));
        Assert.Contains(Assert.Single(second.Targets).Outcome, new[] { Outcome.AlreadyRevoked, Outcome.Revoked });
        Assert.Equal(1, env.Sandbox.RevocationCount(Marcus));
        Assert.Equal(1, env.Sandbox.TotalRevocations);
    }
}
