namespace RevokeFunctions.Queue;

/// <summary>
/// Application properties the app reads and writes on queue messages. A sender sets none of them; the app stamps them
/// on retries, scheduled copies and dead-lettered messages so a message's identity survives every hop.
/// </summary>
public static class QueueProperties
{
    /// <summary>The request's ID in logs, the ledger and <c>/api/revocations/{id}</c>.</summary>
    public const string RequestId = "RevokeRequestId";

    /// <summary>The <c>MessageId</c> the submitter gave; the idempotency key of every retry.</summary>
    public const string OriginalMessageId = "RevokeOriginalMessageId";

    /// <summary>When the request first arrived (ISO 8601); the event time of requests that carry none.</summary>
    public const string FirstEnqueuedUtc = "RevokeFirstEnqueuedUtc";

    /// <summary>Which attempt this delivery is, 1 for the submitter's own message.</summary>
    public const string Attempt = "RevokeAttempt";

    /// <summary>
    /// The targets still to do, space-separated (<c>ObjectId:…</c>, <c>UserPrincipalName:…</c>, <c>EmployeeId:…</c>,
    /// several identifiers of one target joined by <c>|</c>). Absent means every target in the body.
    /// </summary>
    public const string PendingTargets = "RevokePendingTargets";

    /// <summary>
    /// How many times this attempt was carried on in a copy because it reached <c>Queue:ProcessingDeadline</c>; absent
    /// for 0. Part of the continuation copies' MessageId, so each one is distinct and a copy sent twice is a duplicate.
    /// </summary>
    public const string Continuation = "RevokeContinuation";

    /// <summary>On a dead-lettered message: resolved object IDs of the users it names, comma-separated.</summary>
    public const string UserIds = "RevokeUserIds";

    /// <summary>On a dead-lettered message: the payload's format and its own ID, e.g. <c>hr-leaver:HR-2291</c>.</summary>
    public const string Source = "RevokeSource";

    /// <summary>On a dead-lettered message naming several users: every user's reason code, space-separated.</summary>
    public const string ReasonCodes = "RevokeReasonCodes";

    /// <summary>
    /// Which round of attempts a message belongs to: empty for the submitter's own, <c>s&lt;sequence number&gt;</c> from a
    /// resubmission on. Part of every copy's MessageId, so a resubmitted round's retries are not dropped by duplicate
    /// detection as repeats of the first round's.
    /// </summary>
    public const string Round = "RevokeRound";

    /// <summary>Set by Service Bus on dead-lettered messages; present on one resubmitted from the dead-letter queue.</summary>
    public const string ServiceBusDeadLetterReason = "DeadLetterReason";

    /// <summary>Set by Service Bus next to <see cref="ServiceBusDeadLetterReason"/>.</summary>
    public const string ServiceBusDeadLetterErrorDescription = "DeadLetterErrorDescription";
}
