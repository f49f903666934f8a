using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RevokeFunctions.Ledger;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Names a request for the write-back the way the ledger names it for idempotency: the caller's idempotency key, else
/// the source's own ID and the event, else the request ID. An HTTP request sent again with the same key, its queued
/// retries and a redelivered message therefore share one key, one Sentinel comment and one record of what was posted.
/// </summary>
public sealed record WriteBackKey
{
    private WriteBackKey(string value) => Value = value;

    /// <summary>32 hex digits.</summary>
    public string Value { get; }

    /// <summary>The Sentinel comment's ID: PUT to the same ID again replaces the comment instead of adding one.</summary>
    public Guid SentinelCommentId => new(SHA256.HashData(Encoding.UTF8.GetBytes("sentinel-comment\n" + Value)).AsSpan(0, 16));

    /// <param name="targets">The payload's targets; for a source ID their event time tells a new event from a repeat.</param>
    public static WriteBackKey For(RevocationContext context, SourceReference? source, IEnumerable<RequestedTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(targets);
        var scope = LedgerScope.For(context, source ?? new SourceReference("unknown"));
        var identity = scope.PartitionKey;
        // An incident or alert that fires again is a new event with its own comment; a repeat of the same event is not.
        // Incidents and alerts (the sources commented on) give every target the one event time, so each attempt of
        // the request, whichever targets it carries, gives the same key.
        if (scope.Kind == LedgerScopeKind.Source && targets.Select(t => t.EventTime).DefaultIfEmpty().Min() is { } first && first != default)
            identity += "\n" + first.UtcTicks.ToString(CultureInfo.InvariantCulture);
        return new WriteBackKey(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16)));
    }

    /// <summary>A key read back from the outbox: 32 lower-case hex digits, nothing else.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out WriteBackKey? key)
    {
        key = value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower) ? new WriteBackKey(value) : null;
        return key is not null;
    }

    public override string ToString() => Value;
}
