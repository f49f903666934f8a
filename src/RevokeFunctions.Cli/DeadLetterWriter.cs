using System.Globalization;
using System.Text.Json;
using RevokeFunctions.Operations;

namespace RevokeFunctions.Cli;

/// <summary>
/// Prints the <c>dlq</c> commands' results. JSON: one object per line (<see cref="DeadLetter"/>,
/// <see cref="DeadLetterDetail"/>, <see cref="ResubmitResult"/>), for scripts. Table: for people, with every text
/// from a message cleaned of control characters.
/// </summary>
internal static class DeadLetterWriter
{
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss'Z'";

    public static async Task WriteListAsync(IReadOnlyList<DeadLetter> deadLetters, string queueName, OutputFormat format, TextWriter output)
    {
        if (format == OutputFormat.Json)
        {
            foreach (var deadLetter in deadLetters)
                await output.WriteLineAsync(JsonSerializer.Serialize(deadLetter, OperationsJsonContext.Default.DeadLetter));
            return;
        }
        string[] header = ["SEQ", "ENQUEUED", "REASON", "REQUEST", "USER", "DESCRIPTION"];
        var rows = deadLetters.Select(l => new[]
        {
            l.SequenceNumber.ToString(CultureInfo.InvariantCulture), Time(l.EnqueuedTime), TerminalText.Line(ReasonOf(l), 80),
            TerminalText.Line(l.RequestId, 100), TerminalText.Line(l.User ?? "-", 60), TerminalText.Line(l.RecordedDescription ?? l.Description, 120),
        }).ToList();
        await PlainTable.WriteAsync(header, rows, output);
        await output.WriteLineAsync($"{deadLetters.Count} dead letter(s) in {queueName}; 'revoke dlq show <seq>' shows one in full.");
    }

    public static async Task WriteDetailAsync(DeadLetterDetail detail, string queueName, OutputFormat format, TextWriter output)
    {
        if (format == OutputFormat.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(detail, OperationsJsonContext.Default.DeadLetterDetail));
            return;
        }
        var deadLetter = detail.Letter;
        await output.WriteLineAsync($"Dead letter {deadLetter.SequenceNumber} in {queueName}");
        (string Name, string? Value)[] fields =
        [
            ("Reason", deadLetter.Reason),
            ("App's reason", deadLetter.RecordedReason is null ? null : $"{deadLetter.RecordedReason} (recorded by the app; its own dead-letter call failed)"),
            ("App's detail", deadLetter.RecordedDescription),
            ("Reason codes", deadLetter.ReasonCodes.Count > 1 ? string.Join(' ', deadLetter.ReasonCodes) : null),
            ("Description", deadLetter.Description),
            ("Request", $"{deadLetter.RequestId} (revoke status {deadLetter.RequestId})"),
            ("User", deadLetter.User),
            ("MessageId", deadLetter.MessageId),
            ("Enqueued", Time(deadLetter.EnqueuedTime)),
            ("Resubmissions", deadLetter.Resubmissions.ToString(CultureInfo.InvariantCulture)),
            ("Deliveries", detail.DeliveryCount.ToString(CultureInfo.InvariantCulture)),
            ("Subject", detail.Subject),
            ("ContentType", detail.ContentType),
            ("CorrelationId", detail.CorrelationId),
        ];
        foreach (var (name, value) in fields.Where(f => !string.IsNullOrEmpty(f.Value)))
            await output.WriteLineAsync($"  {name + ":",-15}{TerminalText.Clean(value)}");

        await output.WriteLineAsync("Properties:");
        foreach (var (name, value) in detail.Properties)
            await output.WriteLineAsync($"  {TerminalText.Clean(name)} = {TerminalText.Clean(value)}");

        var body = detail.Body;
        await output.WriteLineAsync($"Body ({body.Format.ToString().ToLowerInvariant()}, {body.Bytes} bytes):");
        await output.WriteLineAsync(TerminalText.Clean(body.Text, keepNewLines: true));
        if (body.Truncated)
            await output.WriteLineAsync($"… cut at {body.Text.Length} characters; --max-body <chars> shows more.");
    }

    public static async Task WriteResubmitAsync(ResubmitReport report, bool dryRun, OutputFormat format, TextWriter output)
    {
        if (format == OutputFormat.Json)
        {
            foreach (var result in report.Results)
                await output.WriteLineAsync(JsonSerializer.Serialize(result, OperationsJsonContext.Default.ResubmitResult));
            return;
        }
        string[] header = ["SEQ", "OUTCOME", "REASON", "REQUEST", "DETAIL"];
        var rows = report.Results.Select(r => new[]
        {
            r.SequenceNumber.ToString(CultureInfo.InvariantCulture), r.Outcome.ToString(), TerminalText.Line(r.Reason ?? "-", 40),
            TerminalText.Line(r.RequestId, 100), TerminalText.Clean(r.Detail),
        }).ToList();
        await PlainTable.WriteAsync(header, rows, output);

        var counts = Enum.GetValues<ResubmitOutcome>()
            .Select(o => (Outcome: o, Count: report.Count(o)))
            .Where(c => c.Count > 0)
            .Select(c => $"{c.Count} {Describe(c.Outcome)}");
        await output.WriteLineAsync(string.Join(", ", counts) + (dryRun ? " (dry run: nothing was sent or removed)" : ""));
    }

    private static string Describe(ResubmitOutcome outcome) => outcome switch
    {
        ResubmitOutcome.Resubmitted => "resubmitted",
        ResubmitOutcome.WouldResubmit => "would be resubmitted",
        ResubmitOutcome.NeedsConfirmation => "need --confirm",
        ResubmitOutcome.SentNotRemoved => "sent but still in the dead-letter queue (run again)",
        ResubmitOutcome.NotReceived => "not received (run again)",
        ResubmitOutcome.Discarded => "discarded",
        _ => "failed",
    };


    /// <summary><c>MaxDeliveryCountExceeded (app: StormGuard)</c> when Service Bus made the letter and the app had recorded why.</summary>
    private static string ReasonOf(DeadLetter letter) =>
        letter.RecordedReason is { } recorded ? $"{letter.Reason} (app: {recorded})" : letter.Reason ?? "-";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
}
