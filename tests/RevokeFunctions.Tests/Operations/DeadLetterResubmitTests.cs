using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using RevokeFunctions.Cli;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Ledger;
using RevokeFunctions.Operations;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Cli;
using RevokeFunctions.Tests.Infrastructure;
using RevokeFunctions.Tests.Queue;
using static RevokeFunctions.Tests.Queue.SubstituteSettlement;

namespace RevokeFunctions.Tests.Operations;

/// <summary>
/// <c>dlq resubmit</c> on <c>ServiceBusReceiver</c>/<c>ServiceBusSender</c> subclasses: copy first, then complete, so a
/// crash in between loses nothing and the rerun's second copy is dropped by duplicate detection; guarded letters wait
/// for <c>--confirm</c>; and the copy is one the real queue handler works on as the same request.
/// </summary>
public sealed class DeadLetterResubmitTests
{
    private static ResubmitRequest One(ServiceBusReceivedMessage letter) => new(new DeadLetterFilter(letter.SequenceNumber));

    private static Task<(int Exit, string Output, string Error)> CliAsync(DeadLetterQueue tool, params string[] args) => DlqCli.RunAsync(tool, args);

    [Fact]
    public async Task A_fixed_letter_goes_back_as_the_same_request_with_a_fresh_attempt_count_and_the_handler_revokes()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 403, ErrorCode = "Authorization_RequestDenied" });
        var delivered = QueueMessages.Received(Letters.AliceBody, messageId: "INC-4711");
        var (_, port) = await env.HandleAsync(delivered);
        Assert.Equal(ReasonCode.GraphForbidden.ToString(), port.Only.Reason);
        var subQueue = new DeadLetterSubQueue();
        var letter = Letters.Add(subQueue, delivered, port.Only);
        var sender = new DeduplicatingSender(subQueue);

        // The permission is granted; the operator resubmits.
        env.Sandbox.ClearFaults();
        var report = await Letters.Tool(new DeadLetterReceiver(subQueue), sender).ResubmitAsync(One(letter), null, CancellationToken.None);

        var result = Assert.Single(report.Results);
        Assert.Equal(ResubmitOutcome.Resubmitted, result.Outcome);
        Assert.Empty(subQueue.Letters);
        var copy = Assert.Single(sender.Queue);
        Assert.Equal("INC-4711-r1", copy.MessageId);
        Assert.Equal("INC-4711-r1", result.CopyMessageId);
        Assert.Equal(delivered.Body.ToArray(), copy.Body.ToArray());
        var properties = copy.ApplicationProperties;
        Assert.Equal("INC-4711", properties[QueueProperties.RequestId]);
        Assert.Equal("INC-4711", properties[QueueProperties.OriginalMessageId]);
        Assert.Equal(1, properties[QueueProperties.Attempt]);
        Assert.Equal(1, properties[ResubmissionProperties.Count]);
        Assert.Equal(Letters.Operator, properties[ResubmissionProperties.By]);
        Assert.Equal(letter.SequenceNumber, properties[ResubmissionProperties.FromSequenceNumber]);
        Assert.False(properties.ContainsKey(QueueProperties.UserIds));
        // Send, then complete: never the other way round.
        var log = subQueue.Log.ToList();
        Assert.True(log.IndexOf("send INC-4711-r1") < log.IndexOf($"complete {letter.SequenceNumber}"), string.Join(", ", log));

        var (settlement, again) = await env.HandleAsync(Letters.Delivered(copy));
        Assert.Equal(Kind.Complete, again.Only.Kind);
        Assert.Equal(QueueSettlementKind.Completed, settlement.Kind);
        Assert.Equal(1, env.Sandbox.RevocationCount(FixtureUsers.Alice));
        var row = Assert.Single(await env.Services.GetRequiredService<IRevocationLedger>().ListAsync("INC-4711", CancellationToken.None));
        Assert.Equal(LedgerState.Revoked, row.State);
    }

    [Fact]
    public async Task A_resubmitted_TransientExhausted_letter_gets_a_new_round_of_attempts()
    {
        await using var env = await QueueTestEnvironment.StartAsync();
        var subQueue = new DeadLetterSubQueue();
        var letter = Letters.Add(subQueue, ReasonCode.TransientExhausted, attempt: 10, messageId: "INC-9");
        var sender = new DeduplicatingSender(subQueue);
        await Letters.Tool(new DeadLetterReceiver(subQueue), sender).ResubmitAsync(One(letter), null, CancellationToken.None);
        env.Sandbox.Inject(new SandboxFault { Method = "POST", PathContains = "revokeSignInSessions", StatusCode = 503 });

        var (settlement, port) = await env.HandleAsync(Letters.Delivered(Assert.Single(sender.Queue)));

        // Attempt 1 of a fresh 10: Graph is still down, so a retry is scheduled instead of dead-lettering again at once.
        Assert.Equal(Kind.Complete, port.Only.Kind);
        var retry = Assert.Single(env.Sender.Sent);
        Assert.Equal(2, retry.Message.ApplicationProperties[QueueProperties.Attempt]);
        Assert.Equal(1, settlement.FollowUps);
    }

    [Fact]
    public async Task A_crash_between_send_and_complete_keeps_the_letter_and_the_rerun_does_not_send_twice()
    {
        var subQueue = new DeadLetterSubQueue();
        var letter = Letters.Add(subQueue, ReasonCode.GraphForbidden, messageId: "INC-1");
        var sender = new DeduplicatingSender(subQueue);
        var dying = new DeadLetterReceiver(subQueue) { CompleteFailure = new ProcessDiedException() };

        await Assert.ThrowsAsync<ProcessDiedException>(() => Letters.Tool(dying, sender).ResubmitAsync(One(letter), null, CancellationToken.None));
        // The process is gone; its lock runs out.
        subQueue.ExpireLocks();

        Assert.True(subQueue.Contains(letter.SequenceNumber), "the dead letter was lost");
        Assert.Equal("INC-1-r1", Assert.Single(sender.Queue).MessageId);

        var rerun = await Letters.Tool(new DeadLetterReceiver(subQueue), sender).ResubmitAsync(One(letter), null, CancellationToken.None);

        Assert.Equal(ResubmitOutcome.Resubmitted, Assert.Single(rerun.Results).Outcome);
        Assert.Equal(2, sender.Sends);
        Assert.Equal("INC-1-r1", Assert.Single(sender.Queue).MessageId);
        Assert.Empty(subQueue.Letters);
    }

    [Fact]
    public async Task A_lost_lock_after_sending_is_reported_and_the_rerun_only_removes_the_letter()
    {
        var subQueue = new DeadLetterSubQueue();
        var letter = Letters.Add(subQueue, ReasonCode.UserNotFound, messageId: "HR-7");
        var sender = new DeduplicatingSender(subQueue);
        var slow = new DeadLetterReceiver(subQueue) { CompleteFailure = new ServiceBusException("lock lost", ServiceBusFailureReason.MessageLockLost) };

        var (exit, output, _) = await CliAsync(Letters.Tool(slow, sender), "resubmit", letter.SequenceNumber.ToString());
        subQueue.ExpireLocks();
        var rerun = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "resubmit", letter.SequenceNumber.ToString());

        Assert.Equal(CliExitCode.TargetFailed, exit);
        Assert.Contains("SentNotRemoved", output, StringComparison.Ordinal);
        Assert.Contains("Run the same resubmission again", output, StringComparison.Ordinal);
        Assert.Equal(CliExitCode.Success, rerun.Exit);
        Assert.Single(sender.Queue);
        Assert.Empty(subQueue.Letters);
    }

    [Fact]
    public async Task StormGuard_and_ProtectedAccount_letters_wait_for_confirm_and_the_rest_go()
    {
        var subQueue = new DeadLetterSubQueue();
        var storm = Letters.Add(subQueue, ReasonCode.StormGuard);
        var plain = Letters.Add(subQueue, ReasonCode.UserNotFound);
        // The first user's reason leads; a protected second user still makes the letter a guarded one.
        var protectedToo = Letters.Add(subQueue, ReasonCode.UserNotFound, reasonCodes: "UserNotFound ProtectedAccount");
        var sender = new DeduplicatingSender(subQueue);

        var (exit, output, error) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "resubmit", "--all", "--output", "json");

        Assert.Equal(CliExitCode.ConfirmationRequired, exit);
        Assert.Contains("--confirm", error, StringComparison.Ordinal);
        var outcomes = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .ToDictionary(l => l.GetProperty("sequenceNumber").GetInt64(), l => l.GetProperty("outcome").GetString());
        Assert.Equal("NeedsConfirmation", outcomes[storm.SequenceNumber]);
        Assert.Equal("Resubmitted", outcomes[plain.SequenceNumber]);
        Assert.Equal("NeedsConfirmation", outcomes[protectedToo.SequenceNumber]);
        Assert.Equal([storm.SequenceNumber, protectedToo.SequenceNumber], subQueue.Letters.Select(l => l.SequenceNumber));
        Assert.Equal(0, subQueue.LockedCount);
        Assert.Single(sender.Queue);

        var confirmed = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "resubmit", storm.SequenceNumber.ToString(), "--confirm");

        Assert.Equal(CliExitCode.Success, confirmed.Exit);
        Assert.Equal([protectedToo.SequenceNumber], subQueue.Letters.Select(l => l.SequenceNumber));
        Assert.Equal(2, sender.Queue.Count);
    }

    [Fact]
    public async Task A_dry_run_names_each_copy_and_sends_locks_and_removes_nothing()
    {
        var subQueue = new DeadLetterSubQueue();
        var first = Letters.Add(subQueue, ReasonCode.UserNotFound, messageId: "A-1");
        // Resubmitted once already and back: the next copy needs a new MessageId, or duplicate detection would drop it.
        var again = Letters.Add(subQueue, ReasonCode.UserNotFound, messageId: "B-2-r1", resubmissions: 1);
        var receiver = new DeadLetterReceiver(subQueue);
        var sender = new DeduplicatingSender(subQueue);

        var (exit, output, _) = await CliAsync(Letters.Tool(receiver, sender), "resubmit", "--reason", "UserNotFound", "--dry-run");

        Assert.Equal(CliExitCode.Success, exit);
        Assert.Contains("Would send a copy as A-1-r1 (resubmission 1, by tessa.morgan@contoso.com)", output, StringComparison.Ordinal);
        Assert.Contains("Would send a copy as B-2-r1-r2 (resubmission 2,", output, StringComparison.Ordinal);
        Assert.Contains("2 would be resubmitted (dry run: nothing was sent or removed)", output, StringComparison.Ordinal);
        Assert.Equal(0, sender.Sends);
        Assert.Equal(0, receiver.Received);
        Assert.Equal([first.SequenceNumber, again.SequenceNumber], subQueue.Letters.Select(l => l.SequenceNumber));
    }

    [Fact]
    public async Task Resubmitting_by_reason_leaves_the_other_letters_in_place_and_unlocked_and_reports_progress()
    {
        var subQueue = new DeadLetterSubQueue();
        var other = Letters.Add(subQueue, ReasonCode.GuestUser);
        var chosen = Enumerable.Range(0, 3).Select(_ => Letters.Add(subQueue, ReasonCode.GraphForbidden)).ToList();
        var last = Letters.Add(subQueue, ReasonCode.AmbiguousUser);
        var sender = new DeduplicatingSender(subQueue);
        var progress = new RecordingProgress();

        var report = await Letters.Tool(new DeadLetterReceiver(subQueue), sender)
            .ResubmitAsync(new ResubmitRequest(new DeadLetterFilter(Reason: "GraphForbidden")), progress, CancellationToken.None);

        Assert.All(report.Results, r => Assert.Equal(ResubmitOutcome.Resubmitted, r.Outcome));
        Assert.Equal(chosen.Select(l => l.SequenceNumber), report.Results.Select(r => r.SequenceNumber));
        Assert.Equal([other.SequenceNumber, last.SequenceNumber], subQueue.Letters.Select(l => l.SequenceNumber));
        Assert.Equal(0, subQueue.LockedCount);
        Assert.Contains($"abandon {other.SequenceNumber}", subQueue.Log);
        Assert.Equal(3, sender.Queue.Count);
        Assert.Equal([new(0, 3), new(1, 3), new(2, 3), new(3, 3)], progress.Reports);
    }

    [Fact]
    public async Task A_letter_another_operator_holds_is_reported_not_received_and_nothing_is_sent_for_it()
    {
        var subQueue = new DeadLetterSubQueue();
        var held = Letters.Add(subQueue, ReasonCode.UserNotFound);
        var otherOperator = new DeadLetterReceiver(subQueue);
        await otherOperator.ReceiveMessagesAsync(1);
        var sender = new DeduplicatingSender(subQueue);

        var (exit, output, _) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "resubmit", held.SequenceNumber.ToString());

        Assert.Equal(CliExitCode.TargetFailed, exit);
        Assert.Contains("NotReceived", output, StringComparison.Ordinal);
        Assert.Equal(0, sender.Sends);
        Assert.True(subQueue.Contains(held.SequenceNumber));
    }

    [Fact]
    public async Task Resubmitting_an_unknown_sequence_number_exits_3_and_sends_nothing()
    {
        var subQueue = new DeadLetterSubQueue();
        var letter = Letters.Add(subQueue, ReasonCode.UserNotFound);
        var sender = new DeduplicatingSender(subQueue);

        var (exit, _, error) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "resubmit", (letter.SequenceNumber + 5).ToString());

        Assert.Equal(CliExitCode.NotFound, exit);
        Assert.Contains("nothing was sent", error, StringComparison.Ordinal);
        Assert.Equal(0, sender.Sends);
    }

    [Fact]
    public async Task Discard_removes_one_letter_without_a_copy_only_when_confirmed()
    {
        var subQueue = new DeadLetterSubQueue();
        var guest = Letters.Add(subQueue, ReasonCode.GuestUser, requestId: "req-guest");
        var kept = Letters.Add(subQueue, ReasonCode.GuestUser);
        var sender = new DeduplicatingSender(subQueue);

        var asked = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "discard", guest.SequenceNumber.ToString());
        var confirmed = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "discard", guest.SequenceNumber.ToString(), "--confirm");
        var gone = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), sender), "discard", guest.SequenceNumber.ToString(), "--confirm");

        Assert.Equal(CliExitCode.ConfirmationRequired, asked.Exit);
        Assert.Contains("add --confirm", asked.Output, StringComparison.Ordinal);
        Assert.Equal(CliExitCode.Success, confirmed.Exit);
        Assert.Contains("Discarded", confirmed.Output, StringComparison.Ordinal);
        Assert.Contains("the ledger keeps request req-guest's rows", confirmed.Output, StringComparison.Ordinal);
        Assert.Equal(CliExitCode.NotFound, gone.Exit);
        Assert.Equal([kept.SequenceNumber], subQueue.Letters.Select(l => l.SequenceNumber));
        Assert.Equal(0, subQueue.LockedCount);
        Assert.Equal(0, sender.Sends);
    }

    private sealed class ProcessDiedException : Exception;

    private sealed class RecordingProgress : IProgress<ResubmitProgress>
    {
        public List<ResubmitProgress> Reports { get; } = [];

        public void Report(ResubmitProgress value) => Reports.Add(value);
    }
}
