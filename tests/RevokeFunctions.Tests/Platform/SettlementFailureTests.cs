using System.Diagnostics.Metrics;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using RevokeFunctions.Cli;
using RevokeFunctions.Operations;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Telemetry;
using RevokeFunctions.Tests.Cli;
using RevokeFunctions.Tests.Formats;
using RevokeFunctions.Tests.Guards;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Operations;
using RevokeFunctions.Tests.Queue;

namespace RevokeFunctions.Tests.Platform;

/// <summary>
/// Issue 15, part 3: the settlement channel itself fails, as Azure/azure-functions-dotnet-worker#3332 reports
/// (<c>RpcException</c> Unimplemented from the worker's gRPC channel to the host), modelled with NSubstitute on the
/// settlement port.
/// </summary>
public sealed class SettlementFailureTests
{
    private static readonly RpcException Unimplemented = new(new Status(StatusCode.Unimplemented, "Method is unimplemented."));

    [Fact]
    public async Task A_dead_letter_call_that_throws_is_logged_counted_and_left_to_Service_Bus_and_dlq_shows_the_apps_reason()
    {
        var logs = new CapturedLogs();
        await using var env = await QueueTestEnvironment.StartAsync(replace: services => services.AddLogging(b => b.AddProvider(logs)));
        var failures = new List<string>();
        using var listener = ListenForSettlementFailures(env, failures);
        var message = QueueMessages.Received("""{"hello":"world"}""", messageId: "unknown-shape-1");
        var port = Substitute.For<IMessageSettlement>();
        port.DeadLetterMessageAsync(default!, default, default, default, default).ThrowsAsyncForAnyArgs(Unimplemented);

        var settlement = await env.Handler.HandleAsync(message, port, CancellationToken.None);

        Assert.Equal(QueueSettlementKind.Unsettled, settlement.Kind);
        Assert.Equal(QueueSettlementKind.DeadLettered, settlement.Wanted);
        Assert.Equal(ReasonCode.UnknownSchema, settlement.Reason);
        await port.ReceivedWithAnyArgs(1).DeadLetterMessageAsync(default!, default, default, default, default);
        var logged = Assert.Single(logs.Entries, e => e.EventId.Id == 46);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains("unknown-shape-1", logged.Message, StringComparison.Ordinal);
        Assert.Contains("DeadLettered UnknownSchema", logged.Message, StringComparison.Ordinal);
        Assert.Equal(["DeadLettered"], failures);

        // Service Bus, after MaxDeliveryCount failed deliveries, dead-letters the message itself: the operator sees why the app meant to.
        var subQueue = new DeadLetterSubQueue();
        var properties = new Dictionary<string, object>(message.ApplicationProperties)
        {
            [QueueProperties.ServiceBusDeadLetterReason] = "MaxDeliveryCountExceeded",
            [QueueProperties.ServiceBusDeadLetterErrorDescription] = "Message could not be consumed after 10 delivery attempts.",
        };
        var letter = subQueue.Add(message.Body.ToArray(), properties, message.MessageId);
        var tool = new DeadLetterQueue(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue), new Letters.FixedOperator(Letters.Operator),
            TimeProvider.System, FormatParsing.Parser, env.Services.GetRequiredService<DeadLetterIntents>());

        var listed = Assert.Single(await tool.ListAsync(DeadLetterFilter.All, CancellationToken.None));
        Assert.Equal("MaxDeliveryCountExceeded", listed.Reason);
        Assert.Equal(nameof(ReasonCode.UnknownSchema), listed.RecordedReason);
        Assert.False(string.IsNullOrEmpty(listed.RecordedDescription));
        var (exit, output) = await CliAsync(tool, "show", letter.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(CliExitCode.Success, exit);
        Assert.Contains("UnknownSchema (recorded by the app", output, StringComparison.Ordinal);
        Assert.Contains(listed.RecordedDescription!, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_complete_call_that_throws_leaves_the_message_to_redelivery_which_revokes_nobody_twice()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var first = Substitute.For<IMessageSettlement>();
        first.CompleteMessageAsync(default!, default).ThrowsAsyncForAnyArgs(Unimplemented);
        var body = Encoding.UTF8.GetBytes($$"""{"user":"{{FixtureUsers.Alice}}"}""");

        var unsettled = await env.Handler.HandleAsync(QueueMessages.Received(body, messageId: "complete-fails"), first, CancellationToken.None);
        var (redelivered, port) = await env.HandleAsync(QueueMessages.Received(body, messageId: "complete-fails", deliveryCount: 2));

        Assert.Equal((QueueSettlementKind.Unsettled, QueueSettlementKind.Completed), (unsettled.Kind, unsettled.Wanted));
        Assert.Equal(QueueSettlementKind.Completed, redelivered.Kind);
        Assert.Equal(SubstituteSettlement.Kind.Complete, port.Only.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
    }

    private static MeterListener ListenForSettlementFailures(QueueTestEnvironment env, List<string> into)
    {
        // This environment's meter only: other tests' environments count on meters of their own.
        var factory = env.Services.GetRequiredService<IMeterFactory>();
        env.Services.GetRequiredService<RevocationMetrics>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "revocations.settlement_failures" && ReferenceEquals(instrument.Meter.Scope, factory))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "settlement")
                    lock (into) into.Add((string)tag.Value!);
            }
        });
        listener.Start();
        return listener;
    }

    private static async Task<(int Exit, string Output)> CliAsync(DeadLetterQueue tool, params string[] args)
    {
        var (exit, output, _) = await DlqCli.RunAsync(tool, args);
        return (exit, output);
    }
}
