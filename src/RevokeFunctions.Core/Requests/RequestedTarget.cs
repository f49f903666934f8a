namespace RevokeFunctions.Requests;

/// <summary>One user a payload asks to revoke, before resolution.</summary>
/// <param name="Given">The user as the payload gave it; echoed back to the caller.</param>
/// <param name="Identifiers">Every identifier the payload gave for this user, strongest first. All must name the same user.</param>
/// <param name="EventTime">When the event happened; sessions issued after it are not the threat, so a later revocation already covers it.</param>
/// <param name="NotBefore">For HR leavers with a future effective date: revocation is due at this instant, not now.</param>
/// <param name="Reason">The source's reason or title; free text for the audit trail.</param>
/// <param name="RequestedByNote">A <c>requestedBy</c> from the body: an audit note, never trusted as identity.</param>
/// <param name="CorrelationId">The caller's correlation ID, if any.</param>
public sealed record RequestedTarget(
    string Given,
    IReadOnlyList<UserIdentifier> Identifiers,
    DateTimeOffset EventTime,
    DateTimeOffset? NotBefore = null,
    string? Reason = null,
    string? RequestedByNote = null,
    string? CorrelationId = null)
{
    public UserIdentifier Primary => Identifiers[0];

    /// <summary>An HR leaver: the person is leaving, so the account may also be disabled (<c>Leavers:DisableAccount</c>).</summary>
    public bool IsLeaver { get; init; }

    /// <summary>
    /// An HR <c>leaverRescinded</c> message: cancel the employee's pending leaver plan. Never revokes or disables anyone;
    /// <see cref="IsLeaver"/> is set too, so it is handled wherever leavers are.
    /// </summary>
    public bool IsRescind { get; init; }

    /// <summary>An HR message's <c>submittedAt</c>: which of two messages about one employee is the newer.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>The source's own word that this user is not to be revoked; the pipeline answers it <c>Refused</c>.</summary>
    public TargetRefusal? Refusal { get; init; }
}
