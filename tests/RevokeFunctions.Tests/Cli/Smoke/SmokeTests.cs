using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using NSubstitute;
using RevokeFunctions.Cli;
using RevokeFunctions.Cli.Smoke;
using RevokeFunctions.Operations;
using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Operations;
using RevokeFunctions.Tests.Queue;
using RevokeFunctions.Tests.WriteBack;

namespace RevokeFunctions.Tests.Cli.Smoke;

/// <summary>
/// <c>revoke smoke</c> against <see cref="DeployedAppStandIn"/> (the app's real functions and pipeline on the Graph
/// sandbox and Azurite). Service Bus cannot run here: the sender is an NSubstitute whose "delivery" runs the app's real
/// queue handler and puts what it dead-letters into a <see cref="DeadLetterSubQueue"/>, read by the operator tool's own
/// receiver the way <c>dlq</c> reads it.
/// </summary>
public sealed class SmokeTests
{
    private const string Namespace = "contoso-revoke.servicebus.windows.net";

    private const string ApiClientId = "7d0c9a52-44b8-4d2e-a1b0-3c5d6e7f8a9b";

    private sealed record Run(int Exit, string Output, string Error, IReadOnlyList<ServiceBusMessage> Sent, IReadOnlyList<string> Scopes);

    /// <param name="deliver">False: the queue never delivers (an app without its trigger).</param>
    private static async Task<Run> SmokeAsync(
        DeployedAppStandIn standIn, DeadLetterSubQueue subQueue, string token = DeployedAppStandIn.Token, bool deliver = true,
        string user = "alice@contoso.com", string output = "json", ServiceBusReceiver? receiver = null)
    {
        var sent = new List<ServiceBusMessage>();
        var sender = Substitute.For<ServiceBusSender>();
        sender.EntityPath.Returns("revocations");
        sender.FullyQualifiedNamespace.Returns(Namespace);
        sender.SendMessageAsync(Arg.Any<ServiceBusMessage>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            var message = call.Arg<ServiceBusMessage>();
            sent.Add(message);
            if (!deliver)
                return;
            var delivered = ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: message.Body, messageId: message.MessageId, contentType: message.ContentType, subject: message.Subject,
                lockTokenGuid: Guid.NewGuid(), deliveryCount: 1, sequenceNumber: 1, enqueuedTime: DateTimeOffset.UtcNow);
            var (_, settlement) = await standIn.App.HandleAsync(delivered);
            Letters.Add(subQueue, delivered, settlement.Only);
        });
        var caller = TestCredentials.Handing(token);

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext(Stream.Null, stdout, stderr)
        {
            OpenSmoke = settings => new SmokeConnections(
                new HttpClient { BaseAddress = settings.AppUrl },
                caller,
                new GraphServiceClient(new HttpClient(), new AnonymousAuthenticationProvider(), standIn.BaseUrl + "v1.0"),
                sender,
                new DeadLetterQueue(receiver ?? new DeadLetterReceiver(subQueue), sender, new Letters.FixedOperator("smoke"), TimeProvider.System, FormatParsing.Parser)),
        };
        var exit = await CliApplication.RunAsync(
            ["smoke", "--app-url", standIn.BaseUrl.ToString(), "--api-client-id", ApiClientId, "--test-user", user,
             "--namespace", Namespace, "--identity-principal-id", standIn.IdentityPrincipalId, "--wait", "1", "--output", output],
            context, CancellationToken.None);
        return new Run(exit, stdout.ToString(), stderr.ToString(), sent, [.. TestCredentials.Requests(caller).SelectMany(scopes => scopes)]);
    }

    private static Dictionary<string, JsonElement> ChecksOf(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToDictionary(check => check.GetProperty("check").GetString()!);

    [Fact]
    public async Task A_working_deployment_passes_every_check_changes_nobody_and_leaves_no_dead_letter()
    {
        await using var standIn = await DeployedAppStandIn.StartAsync();
        var subQueue = new DeadLetterSubQueue();

        var run = await SmokeAsync(standIn, subQueue);

        Assert.True(run.Exit == CliExitCode.Success, run.Output + run.Error);
        var checks = ChecksOf(run.Output);
        Assert.Equal([SmokeTest.DryRunCheck, SmokeTest.StatusCheck, SmokeTest.DeadLetterCheck, SmokeTest.GraphCheck], checks.Keys);
        Assert.All(checks.Values, check => Assert.True(check.GetProperty("passed").GetBoolean(), check.ToString()));
        Assert.Contains("WouldRevoke", checks[SmokeTest.DryRunCheck].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("404 revocation-not-found", checks[SmokeTest.StatusCheck].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("dead-lettered UnknownSchema", checks[SmokeTest.DeadLetterCheck].GetProperty("detail").GetString(), StringComparison.Ordinal);
        // One message with a MessageId of its own, dead-lettered by the app's real handler, then removed again.
        var message = Assert.Single(run.Sent);
        Assert.StartsWith("revoke-smoke-", message.MessageId, StringComparison.Ordinal);
        Assert.Empty(subQueue.Letters);
        // Signed in for the API's audience only; a dry run: Graph was read, never written.
        Assert.All(run.Scopes, scope => Assert.Equal($"api://{ApiClientId}/.default", scope));
        Assert.Equal(0, standIn.App.Sandbox.TotalRevocations);
    }

    [Fact]
    public async Task Each_broken_part_fails_its_own_check_naming_what_to_fix_and_the_run_exits_1()
    {
        await using var standIn = await DeployedAppStandIn.StartAsync();
        standIn.Granted.Remove("GroupMember.Read.All");
        var subQueue = new DeadLetterSubQueue();

        var run = await SmokeAsync(standIn, subQueue, token: "a token for another audience", deliver: false, output: "table");

        Assert.Equal(CliExitCode.TargetFailed, run.Exit);
        var lines = run.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CHECK", lines[0], StringComparison.Ordinal);
        var row = (string check) => Assert.Single(lines, l => l.StartsWith(check + " ", StringComparison.Ordinal));
        Assert.Contains("FAIL", row(SmokeTest.DryRunCheck), StringComparison.Ordinal);
        Assert.Contains("401", row(SmokeTest.DryRunCheck), StringComparison.Ordinal);
        Assert.Contains("Fix: App Service Authentication refused the token: check that API_APP_CLIENT_ID", row(SmokeTest.DryRunCheck), StringComparison.Ordinal);
        Assert.Contains("not run: the dry run gave no request ID", row(SmokeTest.StatusCheck), StringComparison.Ordinal);
        Assert.Contains("was not dead-lettered within 1s", row(SmokeTest.DeadLetterCheck), StringComparison.Ordinal);
        Assert.Contains("ServiceBusTrigger on", row(SmokeTest.DeadLetterCheck), StringComparison.Ordinal);
        Assert.Contains($"lacks GroupMember.Read.All. Fix: run the postprovision hook again", row(SmokeTest.GraphCheck), StringComparison.Ordinal);
        Assert.EndsWith("4 of 4 smoke checks failed; fix what each names, then run 'revoke smoke' again.", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_test_user_fails_the_dry_run_and_says_which_setting_names_it()
    {
        await using var standIn = await DeployedAppStandIn.StartAsync();

        var run = await SmokeAsync(standIn, new DeadLetterSubQueue(), user: "nobody@contoso.com");

        Assert.Equal(CliExitCode.TargetFailed, run.Exit);
        var checks = ChecksOf(run.Output);
        var dryRun = checks[SmokeTest.DryRunCheck];
        Assert.False(dryRun.GetProperty("passed").GetBoolean());
        Assert.Contains("SMOKE_TEST_USER", dryRun.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.True(checks[SmokeTest.DeadLetterCheck].GetProperty("passed").GetBoolean());
        Assert.True(checks[SmokeTest.GraphCheck].GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Without_its_settings_smoke_is_a_usage_error_naming_the_azd_variables()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CliApplication.RunAsync(["smoke", "--app-url", "func-x.azurewebsites.net"], new CliContext(Stream.Null, output, error), CancellationToken.None);

        Assert.Equal(CliExitCode.Usage, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("--test-user (SMOKE_TEST_USER)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--identity-principal-id (AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AZURE_FUNCTION_APP_HOSTNAME", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_receiver_role_the_dead_letter_check_names_the_role_and_the_other_checks_still_run()
    {
        await using var standIn = await DeployedAppStandIn.StartAsync();
        var receiver = Substitute.For<ServiceBusReceiver>();
        receiver.EntityPath.Returns("revocations/$deadletterqueue");
        receiver.FullyQualifiedNamespace.Returns(Namespace);
        receiver.ReceiveMode.Returns(ServiceBusReceiveMode.PeekLock);
        receiver.PeekMessagesAsync(Arg.Any<int>(), Arg.Any<long?>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromException<IReadOnlyList<ServiceBusReceivedMessage>>(
                new UnauthorizedAccessException("Unauthorized access. 'Listen' claim(s) are required to perform this operation.")));

        var run = await SmokeAsync(standIn, new DeadLetterSubQueue(), receiver: receiver);

        Assert.Equal(CliExitCode.TargetFailed, run.Exit);
        var checks = ChecksOf(run.Output);
        var deadLetters = checks[SmokeTest.DeadLetterCheck];
        Assert.False(deadLetters.GetProperty("passed").GetBoolean());
        Assert.Contains("Azure Service Bus Data Receiver", deadLetters.GetProperty("detail").GetString() + deadLetters.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Single(run.Sent);
        Assert.True(checks[SmokeTest.DryRunCheck].GetProperty("passed").GetBoolean());
        Assert.True(checks[SmokeTest.GraphCheck].GetProperty("passed").GetBoolean());
    }
}
