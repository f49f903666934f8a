namespace RevokeFunctions.Revocation;

/// <summary>Everything about a request that is not in its body.</summary>
/// <param name="RequestId">The request's ID, used as correlation in logs and in the status API.</param>
/// <param name="ReceivedAt">First arrival; kept across retries, because it is the event time of ad-hoc requests.</param>
public sealed record RevocationContext(string RequestId, RequestChannel Channel, DateTimeOffset ReceivedAt)
{
    /// <summary>Check everything, write nothing to Graph.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The caller's key for "the same request again": the HTTP <c>Idempotency-Key</c> header or the queue's
    /// <c>MessageId</c>. Null when the caller gave none (the source's own ID is used then).
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who asked, as authenticated (never the body's <c>requestedBy</c>).</summary>
    public string? Requester { get; init; }

    /// <summary>
    /// The trigger authenticated a person-like caller: an HTTP principal holding <c>Revocations.Submit</c>. Such a request
    /// in the native format is not storm-guarded; false (the default) means automation, which is.
    /// </summary>
    public bool CallerIsPerson { get; init; }

    /// <summary>The HTTP principal holds <c>Revocations.Protected</c>: as a person, it may revoke protected accounts.</summary>
    public bool MayRevokeProtected { get; init; }
}
