namespace RevokeFunctions.Revocation;

/// <summary>Everything about a request that is not in its body.</summary>
/// <param name="RequestId">The request's ID, used as correlation in logs and in the status API.</param>
/// <param name="ReceivedAt">First arrival; kept across retries, because it is the event time of ad-hoc requests.</param>
public sealed record RevocationContext(string RequestId, RequestChannel Channel, DateTimeOffset ReceivedAt)
{
    private readonly RequestChannel? intakeChannel;

    /// <summary>Check everything, write nothing to Graph.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The caller's key for "the same request again": the HTTP <c>Idempotency-Key</c> header or the queue's
    /// <c>MessageId</c>. Null when the caller gave none (the source's own ID is used then).
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>
    /// Which use of <see cref="IdempotencyKey"/> this request is: a new value each time the key's record is created (a
    /// key is bound to one body for <c>Revocation:IdempotencyKeyWindow</c>), so a key reused after its window is a new
    /// request, not a replay of the old one. Null when no key record was made (no key, or the ledger was down).
    /// </summary>
    public string? KeyGeneration { get; init; }

    /// <summary>SHA-256 of the body as received (lower-case hex): what binds a key, and a queued retry, to one body.</summary>
    public string? BodySha256 { get; init; }

    /// <summary>Who asked, as authenticated (never the body's <c>requestedBy</c>).</summary>
    public string? Requester { get; init; }

    /// <summary>
    /// The trigger authenticated a person: an HTTP principal with a delegated user token (not an app-only token)
    /// holding <c>Revocations.Submit</c>. Such a request in the native format is not storm-guarded; false (the default)
    /// means automation, which is.
    /// </summary>
    public bool CallerIsPerson { get; init; }

    /// <summary>The HTTP principal holds <c>Revocations.Protected</c>: as a person, it may revoke protected accounts.</summary>
    public bool MayRevokeProtected { get; init; }

    /// <summary>
    /// How the request first reached the app: <see cref="Channel"/> unless this attempt is a queued retry whose intake
    /// record (matched by body hash) says it came over HTTP. The guards judge the caller by it.
    /// </summary>
    public RequestChannel IntakeChannel
    {
        get => intakeChannel ?? Channel;
        init => intakeChannel = value;
    }
}
