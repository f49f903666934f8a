using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.ServiceBus;

namespace RevokeFunctions.Queue;

/// <summary>
/// A queue message's identity and progress, read from (and written back to) its application properties. The first
/// delivery of a submitter's message has none of them; every copy the app sends carries all of them.
/// </summary>
/// <param name="RequestId">Stable across retries: the HTTP request's ID, or one derived from the MessageId.</param>
/// <param name="OriginalMessageId">The submitter's <c>MessageId</c>: the idempotency key.</param>
/// <param name="FirstEnqueuedAt">When the request first arrived.</param>
/// <param name="Attempt">1 for the first attempt; each scheduled retry adds one.</param>
/// <param name="PendingTargets">Keys (<see cref="TargetKey"/>) of the targets still to do; empty means all.</param>
public sealed record RevocationEnvelope(
    string RequestId,
    string OriginalMessageId,
    DateTimeOffset FirstEnqueuedAt,
    int Attempt,
    IReadOnlyList<string> PendingTargets)
{
    private const int MaxMessageIdLength = 128;

    /// <summary>The round of attempts (<see cref="QueueProperties.Round"/>); empty for the first.</summary>
    public string Round { get; init; } = "";

    /// <summary>Continuations of this attempt so far (<see cref="QueueProperties.Continuation"/>); 0 for none.</summary>
    public int Continuation { get; init; }

    /// <summary>
    /// The message names a request (<see cref="QueueProperties.RequestId"/>): a copy the app sent, an operator's
    /// resubmission, or a sender claiming to be one. Only the request's intake record can tell which.
    /// </summary>
    public bool NamesRequest { get; init; }

    public static RevocationEnvelope Read(ServiceBusReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var properties = message.ApplicationProperties;
        var messageId = OwnMessageId(message);
        var originalId = String(properties, QueueProperties.OriginalMessageId) ?? messageId;

        // A message resubmitted from the dead-letter queue starts a fresh round of attempts: the operator has acted.
        var resubmitted = properties.ContainsKey(QueueProperties.ServiceBusDeadLetterReason);
        var attempt = resubmitted ? 1 : Math.Max(1, Int(properties, QueueProperties.Attempt) ?? 1);

        // The sequence number is the resubmitted message's own and stays the same if it is delivered again.
        var round = resubmitted
            ? "s" + message.SequenceNumber.ToString(CultureInfo.InvariantCulture)
            : String(properties, QueueProperties.Round) ?? "";

        var requestId = String(properties, QueueProperties.RequestId);
        return new RevocationEnvelope(
            RequestId: requestId ?? RequestIdFor(originalId),
            OriginalMessageId: originalId,
            FirstEnqueuedAt: Time(properties, QueueProperties.FirstEnqueuedUtc) ?? message.EnqueuedTime,
            Attempt: attempt,
            PendingTargets: TargetKey.Split(String(properties, QueueProperties.PendingTargets)))
        {
            Round = round,
            Continuation = resubmitted ? 0 : Math.Max(0, Int(properties, QueueProperties.Continuation) ?? 0),
            NamesRequest = requestId is not null,
        };
    }

    /// <summary>
    /// The message as a submitter's own, whatever <c>Revoke*</c> properties it carries: its MessageId is its key and
    /// request ID. For a message whose claim to be a copy of a request its body disproves.
    /// </summary>
    public static RevocationEnvelope ReadAsSubmitted(ServiceBusReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var messageId = OwnMessageId(message);
        return new RevocationEnvelope(RequestIdFor(messageId), messageId, message.EnqueuedTime, Attempt: 1, PendingTargets: []);
    }

    /// <summary>The properties every copy and every settlement stamps, so identity survives each hop.</summary>
    public Dictionary<string, object> ToProperties()
    {
        var properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [QueueProperties.RequestId] = RequestId,
            [QueueProperties.OriginalMessageId] = OriginalMessageId,
            [QueueProperties.FirstEnqueuedUtc] = FirstEnqueuedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            [QueueProperties.Attempt] = Attempt,
        };
        if (PendingTargets.Count > 0)
            properties[QueueProperties.PendingTargets] = TargetKey.Join(PendingTargets);
        if (Round.Length > 0)
            properties[QueueProperties.Round] = Round;
        if (Continuation > 0)
            properties[QueueProperties.Continuation] = Continuation;
        return properties;
    }

    /// <summary>
    /// A MessageId for a copy, distinct from the original's (duplicate detection would otherwise drop the copy as a
    /// repeat) yet the same for the same step, so a copy sent twice after a lost lock is dropped as the duplicate it is.
    /// The body's hash is part of it: copies of two different bodies can never be taken for duplicates of each other.
    /// </summary>
    /// <param name="bodySha256">SHA-256 of the body (hex); its first 16 characters are used.</param>
    public string CopyMessageId(string step, string bodySha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(bodySha256);
        step = bodySha256[..Math.Min(16, bodySha256.Length)] + "/" + (Round.Length > 0 ? Round + "/" + step : step);
        var id = OriginalMessageId + "/" + step;
        return id.Length <= MaxMessageIdLength ? id : Hash(OriginalMessageId) + "/" + step;
    }

    private static string OwnMessageId(ServiceBusReceivedMessage message) =>
        string.IsNullOrEmpty(message.MessageId) ? "seq-" + message.SequenceNumber.ToString(CultureInfo.InvariantCulture) : message.MessageId;

    /// <summary>
    /// Submitters' MessageIds are used as request IDs when they are plain tokens (a GUID, a ticket number); anything
    /// else becomes a GUID derived from it, so a request ID is always safe in a URL and a log query.
    /// </summary>
    internal static string RequestIdFor(string messageId) =>
        messageId.Length <= 100 && messageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? messageId
            : new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)).AsSpan(0, 16)).ToString("D");

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    private static string? String(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value) && value is string { Length: > 0 } text ? text : null;

    private static int? Int(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value)
            ? value switch
            {
                int i => i,
                long l when l is >= 0 and <= int.MaxValue => (int)l,
                string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => null,
            }
            : null;

    private static DateTimeOffset? Time(IReadOnlyDictionary<string, object> properties, string name) =>
        properties.TryGetValue(name, out var value)
            ? value switch
            {
                DateTimeOffset at => at,
                DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
                string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
                _ => null,
            }
            : null;
}
