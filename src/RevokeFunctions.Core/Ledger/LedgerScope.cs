using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Ledger;

/// <summary>
/// The idempotency scope of a request, which is the partition its targets' rows share. Keys are hashed: callers' keys
/// and source IDs may hold characters Table storage refuses in keys, and a hash cannot be steered into another scope.
/// </summary>
public sealed record LedgerScope(LedgerScopeKind Kind, string Value)
{
    private const string ScopePrefix = "s-";
    private const string RequestPrefix = "r-";
    private const int MaxRequestIdLength = 100;

    /// <remarks>
    /// A key equal to the request's own ID names nothing beyond the request: a queue message whose MessageId became its
    /// request ID, or the queued retry of an HTTP request that had no <c>Idempotency-Key</c>. It falls through to the
    /// source or the request, which keeps an HTTP request and its queued retries in one scope. A key's generation
    /// (<see cref="RevocationContext.KeyGeneration"/>) is part of a key or request scope: a key used again after its
    /// window is a new request, which no earlier outcome answers.
    /// </remarks>
    public static LedgerScope For(RevocationContext context, SourceReference source)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        var generation = context.KeyGeneration is { Length: > 0 } g ? "\n" + g : "";
        if (!string.IsNullOrEmpty(context.IdempotencyKey) && !string.Equals(context.IdempotencyKey, context.RequestId, StringComparison.Ordinal))
            return new LedgerScope(LedgerScopeKind.Key, context.IdempotencyKey + generation);
        if (!string.IsNullOrEmpty(source.Id))
            return new LedgerScope(LedgerScopeKind.Source, $"{source.Kind}:{source.Id}");
        return new LedgerScope(LedgerScopeKind.Request, context.RequestId + generation);
    }

    public string PartitionKey => ScopePrefix + Hash($"{Kind}\n{Value}");

    /// <summary>
    /// The row of one target. A caller's key or a request's own ID names one request, whatever times its body carries;
    /// a source ID names an incident or alert that can fire again for a new event, so there the event time is part of
    /// the key and a new event gets its own row (and its own decision).
    /// </summary>
    public LedgerKey KeyFor(RequestedTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var identity = TargetKey.For(target);
        if (Kind == LedgerScopeKind.Source)
            identity += "\n" + target.EventTime.UtcTicks.ToString(CultureInfo.InvariantCulture);
        return new LedgerKey(PartitionKey, Hash(identity));
    }

    /// <summary>Request IDs the status API accepts: what the app issues (GUIDs, or plain queue MessageIds).</summary>
    public static bool IsWellFormedRequestId(string? requestId) =>
        requestId is { Length: > 0 and <= MaxRequestIdLength }
        && requestId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
        && requestId.Any(char.IsAsciiLetterOrDigit);

    /// <summary>The partition holding a request's links to its targets' rows.</summary>
    public static string RequestPartition(string requestId) =>
        RequestPrefix + (IsWellFormedRequestId(requestId) ? requestId : Hash(requestId));

    internal static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));
}
