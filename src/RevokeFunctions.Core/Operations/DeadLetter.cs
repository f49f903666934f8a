using System.Globalization;
using Azure.Messaging.ServiceBus;
using RevokeFunctions.Queue;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Operations;

/// <summary>
/// One dead letter as <c>revoke dlq list</c> shows it: where it sits, why it is there, and which request and user it is
/// about. A line of <c>dlq list --output json</c>; add fields, never rename.
/// </summary>
/// <param name="Reason">Service Bus's <c>DeadLetterReason</c>: the app's reason code, or Service Bus's own (<c>MaxDeliveryCountExceeded</c>, …).</param>
/// <param name="Description">What to do, as the app wrote it.</param>
/// <param name="RequestId">The request's ID in the ledger, <c>revoke status</c> and the logs.</param>
/// <param name="User">The users still to do: resolved object IDs, else the identifiers the payload gave.</param>
public sealed record DeadLetter(
    long SequenceNumber,
    string? MessageId,
    DateTimeOffset EnqueuedTime,
    string? Reason,
    string? Description,
    string RequestId,
    string? User)
{
    /// <summary>Every user's reason code when the letter names users that failed differently; else just <see cref="Reason"/>.</summary>
    public IReadOnlyList<string> ReasonCodes { get; init; } = [];

    /// <summary>Times this request was resubmitted from the dead-letter queue before.</summary>
    public int Resubmissions { get; init; }

    /// <summary>
    /// For a letter Service Bus dead-lettered itself (<c>MaxDeliveryCountExceeded</c>, …): the reason code the app had
    /// decided on for this request and recorded beside the ledger before its own dead-letter call failed; else null.
    /// </summary>
    public string? RecordedReason { get; init; }

    /// <summary>The description that went with <see cref="RecordedReason"/>.</summary>
    public string? RecordedDescription { get; init; }

    /// <summary>The reason is Service Bus's own, not one of the app's reason codes.</summary>
    public bool IsServiceBusReason => Reason is { Length: > 0 } reason && !Enum.TryParse<ReasonCode>(reason, ignoreCase: false, out _);

    public static DeadLetter From(ServiceBusReceivedMessage message, PayloadParser? parser = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var envelope = RevocationEnvelope.Read(message);
        var reason = message.DeadLetterReason;
        return new DeadLetter(message.SequenceNumber, message.MessageId, message.EnqueuedTime, reason, message.DeadLetterErrorDescription,
            envelope.RequestId, UsersOf(message, envelope, parser))
        {
            ReasonCodes = ReasonCodesOf(message.ApplicationProperties, reason),
            Resubmissions = ResubmissionsOf(message.ApplicationProperties),
        };
    }

    /// <summary>The letter's reason, or one of the per-user reasons, is <paramref name="code"/> (case-insensitive).</summary>
    public bool HasReason(string code) =>
        string.Equals(Reason, code, StringComparison.OrdinalIgnoreCase)
        || ReasonCodes.Contains(code, StringComparer.OrdinalIgnoreCase)
        || string.Equals(RecordedReason, code, StringComparison.OrdinalIgnoreCase);

    internal static int ResubmissionsOf(IReadOnlyDictionary<string, object> properties) =>
        properties.TryGetValue(ResubmissionProperties.Count, out var value)
            ? value switch
            {
                int i when i >= 0 => i,
                long l when l is >= 0 and <= int.MaxValue => (int)l,
                string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => 0,
            }
            : 0;

    private static List<string> ReasonCodesOf(IReadOnlyDictionary<string, object> properties, string? reason)
    {
        var codes = properties.TryGetValue(QueueProperties.ReasonCodes, out var value) && value is string joined
            ? joined.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList()
            : [];
        if (codes.Count == 0 && !string.IsNullOrEmpty(reason))
            codes.Add(reason);
        return codes;
    }

    private static string? UsersOf(ServiceBusReceivedMessage message, RevocationEnvelope envelope, PayloadParser? parser)
    {
        if (message.ApplicationProperties.TryGetValue(QueueProperties.UserIds, out var ids) && ids is string { Length: > 0 } userIds)
            return userIds;
        if (envelope.PendingTargets.Count > 0)
            return string.Join(',', envelope.PendingTargets.Select(GivenOf));
        if (parser is null || !QueueMessageBody.TryRead(message, out var body, out _))
            return null;
        var parsed = parser.Parse(body, envelope.FirstEnqueuedAt);
        return parsed.Succeeded && parsed.Payload.Targets.Count > 0 ? string.Join(',', parsed.Payload.Targets.Select(t => t.Given)) : null;
    }

    /// <summary><c>UserPrincipalName:alice@contoso.com|EmployeeId:100482</c> → <c>alice@contoso.com</c>: the strongest identifier's value.</summary>
    private static string GivenOf(string targetKey)
    {
        var first = targetKey.Split('|')[0];
        var colon = first.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? first[(colon + 1)..] : first;
    }
}
