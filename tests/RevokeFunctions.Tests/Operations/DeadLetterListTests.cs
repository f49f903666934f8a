using System.Text.Json;
using System.Text;
using RevokeFunctions.Cli;
using RevokeFunctions.Operations;
using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Tests.Cli;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.Operations;

/// <summary><c>dlq list</c> and <c>dlq show</c>: peeked real <c>ServiceBusReceivedMessage</c>s, never locked.</summary>
public sealed class DeadLetterListTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static Task<(int Exit, string Output, string Error)> CliAsync(DeadLetterQueue tool, params string[] args) => DlqCli.RunAsync(tool, args);

    [Fact]
    public async Task List_prints_one_json_line_per_letter_with_reason_request_and_user_and_locks_nothing()
    {
        var subQueue = new DeadLetterSubQueue();
        var forbidden = Letters.Add(subQueue, ReasonCode.GraphForbidden, requestId: "req-forbidden", userIds: FixtureUsers.Alice);
        var unknown = Letters.Add(subQueue, ReasonCode.UserNotFound, """{"user":"nobody@contoso.com"}""", requestId: "req-unknown",
            pendingTargets: "UserPrincipalName:nobody@contoso.com");
        var receiver = new DeadLetterReceiver(subQueue);

        var (exit, output, error) = await CliAsync(Letters.Tool(receiver, new DeduplicatingSender(subQueue)), "list", "--output", "json");

        Assert.True(exit == CliExitCode.Success, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([forbidden.SequenceNumber, unknown.SequenceNumber], lines.Select(l => l.GetProperty("sequenceNumber").GetInt64()));
        Assert.Equal(["GraphForbidden", "UserNotFound"], lines.Select(l => l.GetProperty("reason").GetString()));
        Assert.Equal(["req-forbidden", "req-unknown"], lines.Select(l => l.GetProperty("requestId").GetString()));
        Assert.Equal([FixtureUsers.Alice, "nobody@contoso.com"], lines.Select(l => l.GetProperty("user").GetString()));
        Assert.All(lines, l => Assert.StartsWith(l.GetProperty("reason").GetString()!, l.GetProperty("description").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, receiver.Received);
        Assert.Equal(0, subQueue.LockedCount);
        Assert.All(subQueue.Log, entry => Assert.Equal("peek", entry));
    }

    [Fact]
    public async Task A_letter_without_app_properties_names_the_user_from_its_body()
    {
        var subQueue = new DeadLetterSubQueue();
        // Dead-lettered by Service Bus itself (MaxDeliveryCountExceeded) before the app stamped anything.
        subQueue.Add(Encoding.UTF8.GetBytes(Letters.AliceBody), new Dictionary<string, object>
        {
            [QueueProperties.ServiceBusDeadLetterReason] = "MaxDeliveryCountExceeded",
            [QueueProperties.ServiceBusDeadLetterErrorDescription] = "Message could not be consumed after 10 delivery attempts.",
        }, messageId: "HR-2291");

        var letters = await Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)).ListAsync(DeadLetterFilter.All, CancellationToken.None);

        var letter = Assert.Single(letters);
        Assert.Equal("alice@contoso.com", letter.User);
        Assert.Equal("HR-2291", letter.RequestId);
        Assert.Equal("MaxDeliveryCountExceeded", letter.Reason);
    }

    [Fact]
    public async Task Reason_and_since_filter_the_list_and_a_table_has_one_row_per_letter()
    {
        var subQueue = new DeadLetterSubQueue();
        Letters.Add(subQueue, ReasonCode.UserNotFound, enqueuedAt: Now.AddDays(-3));
        var recent = Letters.Add(subQueue, ReasonCode.UserNotFound, enqueuedAt: Now.AddMinutes(-10));
        // Two users failed differently: the second one's code still finds the letter.
        var mixed = Letters.Add(subQueue, ReasonCode.GraphForbidden, reasonCodes: "GraphForbidden UserNotFound", enqueuedAt: Now.AddMinutes(-5));
        Letters.Add(subQueue, ReasonCode.GuestUser, enqueuedAt: Now.AddMinutes(-1));
        var tool = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue));

        var (exit, output, _) = await CliAsync(tool, "list", "--reason", "usernotfound", "--since", "1h");

        Assert.Equal(CliExitCode.Success, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("SEQ", lines[0], StringComparison.Ordinal);
        Assert.Equal([recent.SequenceNumber.ToString(), mixed.SequenceNumber.ToString()], lines[1..^1].Select(l => l.Split(' ')[0]));
        Assert.StartsWith("2 dead letter(s) in revocations", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_dead_letter_queue_is_one_friendly_line_and_exit_0()
    {
        var subQueue = new DeadLetterSubQueue();
        var tool = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue));

        var table = await CliAsync(tool, "list");
        var json = await CliAsync(tool, "list", "--output", "json");
        var resubmit = await CliAsync(tool, "resubmit", "--all");

        Assert.Equal(CliExitCode.Success, table.Exit);
        Assert.Equal("The dead-letter queue of revocations is empty: nothing has failed for good.", table.Output.Trim());
        Assert.Equal(CliExitCode.Success, json.Exit);
        Assert.Equal("", json.Output);
        Assert.Contains("is empty", json.Error, StringComparison.Ordinal);
        Assert.Equal(CliExitCode.Success, resubmit.Exit);
        Assert.Contains("is empty", resubmit.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_names_the_reasons_that_are_there()
    {
        var subQueue = new DeadLetterSubQueue();
        Letters.Add(subQueue, ReasonCode.UserNotFound);
        Letters.Add(subQueue, ReasonCode.UserNotFound);
        Letters.Add(subQueue, ReasonCode.StormGuard);

        var (exit, output, _) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)),
            "list", "--reason", "GraphForbiden");

        Assert.Equal(CliExitCode.Success, exit);
        Assert.Equal("No dead letters in revocations match; it holds: StormGuard (1), UserNotFound (2).", output.Trim());
    }

    [Fact]
    public async Task Show_prints_properties_reason_and_the_body_pretty_printed()
    {
        var subQueue = new DeadLetterSubQueue();
        const string body = """{"user":"nobody@contoso.com","reason":"INC-1"}""";
        var letter = Letters.Add(subQueue, ReasonCode.UserNotFound, body, requestId: "req-7",
            pendingTargets: "UserPrincipalName:nobody@contoso.com");

        var (exit, output, error) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)),
            "show", letter.SequenceNumber.ToString());

        Assert.True(exit == CliExitCode.Success, error);
        Assert.Contains($"Dead letter {letter.SequenceNumber} in revocations", output, StringComparison.Ordinal);
        Assert.Contains("  Reason:        UserNotFound", output, StringComparison.Ordinal);
        Assert.Contains("  Request:       req-7 (revoke status req-7)", output, StringComparison.Ordinal);
        Assert.Contains("  RevokePendingTargets = UserPrincipalName:nobody@contoso.com", output, StringComparison.Ordinal);
        Assert.Contains("  RevokeAttempt = 1", output, StringComparison.Ordinal);
        Assert.Contains($"Body (json, {body.Length} bytes):\n{{\n  \"user\": \"nobody@contoso.com\",\n  \"reason\": \"INC-1\"\n}}", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_caps_the_body_and_escapes_terminal_control_characters()
    {
        var subQueue = new DeadLetterSubQueue();
        var hostile = "{\"user\":\"alice@contoso.com\",\"reason\":\"" + new string('x', 5000) + "\"}";
        var big = Letters.Add(subQueue, ReasonCode.UserNotFound, hostile);
        var escape = subQueue.Add(Encoding.UTF8.GetBytes("not json \u001b]0;pwned\u0007 text"), new Dictionary<string, object>
        {
            [QueueProperties.ServiceBusDeadLetterReason] = "InvalidPayload",
            [QueueProperties.ServiceBusDeadLetterErrorDescription] = "bad \u001b[2J body",
        });
        var tool = Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue));

        var capped = await CliAsync(tool, "show", big.SequenceNumber.ToString(), "--max-body", "200");
        var json = await CliAsync(tool, "show", big.SequenceNumber.ToString(), "--max-body", "200", "--output", "json");
        var text = await CliAsync(tool, "show", escape.SequenceNumber.ToString());

        Assert.Contains("… cut at 200 characters; --max-body <chars> shows more.", capped.Output, StringComparison.Ordinal);
        var body = JsonDocument.Parse(json.Output).RootElement.GetProperty("body");
        Assert.True(body.GetProperty("truncated").GetBoolean());
        Assert.Equal(200, body.GetProperty("text").GetString()!.Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(hostile), body.GetProperty("bytes").GetInt32());
        Assert.DoesNotContain('\u001b', text.Output);
        Assert.DoesNotContain('\u0007', text.Output);
        Assert.Contains("not json \\u001B]0;pwned\\u0007 text", text.Output, StringComparison.Ordinal);
        Assert.Contains("bad \\u001B[2J body", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_of_an_unknown_sequence_number_exits_3()
    {
        var subQueue = new DeadLetterSubQueue();
        var letter = Letters.Add(subQueue, ReasonCode.UserNotFound);

        var (exit, output, error) = await CliAsync(Letters.Tool(new DeadLetterReceiver(subQueue), new DeduplicatingSender(subQueue)),
            "show", (letter.SequenceNumber + 1).ToString());

        Assert.Equal(CliExitCode.NotFound, exit);
        Assert.Equal("", output);
        Assert.Contains($"has no letter {letter.SequenceNumber + 1}", error, StringComparison.Ordinal);
    }
}
