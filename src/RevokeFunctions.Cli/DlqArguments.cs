using System.Globalization;
using RevokeFunctions.Operations;

namespace RevokeFunctions.Cli;

/// <summary>
/// <c>dlq list [--reason CODE] [--since T]</c>, <c>dlq show &lt;seq&gt; [--max-body N]</c>,
/// <c>dlq resubmit &lt;seq&gt; | --reason CODE | --all [--dry-run] [--confirm]</c>, <c>dlq discard &lt;seq&gt; [--confirm]</c>; each
/// with <c>[--output json|table]</c>.
/// </summary>
public sealed record DlqArguments(DlqVerb Verb, DeadLetterFilter Filter, OutputFormat Output)
{
    public bool DryRun { get; init; }

    public bool Confirm { get; init; }

    public int MaxBodyChars { get; init; } = DeadLetterBody.DefaultMaxChars;

    /// <param name="now">What <c>--since 2h</c> counts back from.</param>
    public static bool TryParse(IReadOnlyList<string> args, DateTimeOffset now, out DlqArguments parsed, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = null!;
        error = "";
        if (args.Count == 0 || !Enum.TryParse<DlqVerb>(args[0], ignoreCase: true, out var verb) || !Enum.IsDefined(verb) || char.IsDigit(args[0][0]))
        {
            error = args.Count == 0 ? "Name a dlq command: list, show, resubmit or discard." : $"Unknown dlq command '{args[0]}'; use list, show, resubmit or discard.";
            return false;
        }

        long? sequence = null;
        string? reason = null;
        DateTimeOffset? since = null;
        bool all = false, dryRun = false, confirm = false;
        var maxBody = DeadLetterBody.DefaultMaxChars;
        var output = OutputFormat.Table;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            var hasValue = i + 1 < args.Count;
            switch (arg)
            {
                case "--output" when hasValue:
                    if (!OutputFormatOption.TryParse(args[++i], out output, out var outputError))
                        return Fail(outputError, out error);
                    break;
                case "--reason" when hasValue && verb is DlqVerb.List or DlqVerb.Resubmit:
                    reason = args[++i];
                    if (reason.Length == 0 || !reason.All(char.IsAsciiLetterOrDigit))
                        return Fail($"--reason takes a reason code such as UserNotFound, not '{reason}'.", out error);
                    break;
                case "--since" when hasValue && verb == DlqVerb.List:
                    if (ParseSince(args[++i], now) is not { } at)
                        return Fail($"--since takes a time (2026-11-24, 2026-11-24T09:00:00Z) or an age (30m, 2h, 7d), not '{args[i]}'.", out error);
                    since = at;
                    break;
                case "--max-body" when hasValue && verb == DlqVerb.Show:
                    if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out maxBody) || maxBody <= 0)
                        return Fail($"--max-body takes a number of characters, not '{args[i]}'.", out error);
                    break;
                case "--all" when verb == DlqVerb.Resubmit:
                    all = true;
                    break;
                case "--dry-run" when verb == DlqVerb.Resubmit:
                    dryRun = true;
                    break;
                case "--confirm" when verb is DlqVerb.Resubmit or DlqVerb.Discard:
                    confirm = true;
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    return Fail($"Unknown or incomplete option '{option}' for dlq {verb.ToString().ToLowerInvariant()}.", out error);
                default:
                    if (verb == DlqVerb.List || sequence is not null)
                        return Fail($"Unexpected argument '{arg}'.", out error);
                    if (!long.TryParse(arg, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                        return Fail($"'{arg}' is not a sequence number (the first column of dlq list).", out error);
                    sequence = number;
                    break;
            }
        }

        if (verb is DlqVerb.Show or DlqVerb.Discard && sequence is null)
            return Fail("Name the dead letter's sequence number (the first column of dlq list).", out error);
        if (verb == DlqVerb.Resubmit)
        {
            // Exactly one way of choosing, so "resubmit" alone can never mean "everything".
            var ways = (sequence is not null ? 1 : 0) + (reason is not null ? 1 : 0) + (all ? 1 : 0);
            if (ways != 1)
                return Fail("Choose what to resubmit: one sequence number, --reason <code>, or --all.", out error);
        }

        parsed = new DlqArguments(verb, new DeadLetterFilter(sequence, reason, since), output)
        {
            DryRun = dryRun,
            Confirm = confirm,
            MaxBodyChars = maxBody,
        };
        return true;
    }

    /// <summary>An instant (a date means its midnight UTC) or an age back from now: <c>30m</c>, <c>2h</c>, <c>7d</c>.</summary>
    public static DateTimeOffset? ParseSince(string value, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length >= 2 && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? age = value[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (age is { } span)
                return now - span;
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
