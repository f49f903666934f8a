namespace RevokeFunctions.App.Http;

/// <summary>The caller check's answer and, when allowed, who the caller is for the audit trail.</summary>
/// <param name="Requester">The recorded requester: the principal's name, object ID and app ID.</param>
/// <param name="RequesterId">The principal's object ID (else app ID): whom an idempotency key belongs to.</param>
/// <param name="IsPerson">A signed-in user (delegated token) with the submit role; whether its request counts as a person's also depends on the format.</param>
/// <param name="MayRevokeProtected">The principal holds <c>Revocations.Protected</c>.</param>
/// <param name="Detail">For a refusal: one sentence the caller can act on.</param>
public sealed record CallerDecision(
    CallerVerdict Verdict,
    string? Requester = null,
    string? RequesterId = null,
    bool IsPerson = false,
    bool MayRevokeProtected = false,
    string? Detail = null)
{
    public bool IsAllowed => Verdict == CallerVerdict.Allowed;
}
