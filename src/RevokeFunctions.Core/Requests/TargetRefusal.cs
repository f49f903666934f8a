using RevokeFunctions.Revocation;

namespace RevokeFunctions.Requests;

/// <summary>
/// The source names a user but says, in the same payload, that this user is not to be revoked (an Entra ID Protection
/// risky user whose risk was remediated or dismissed). The target is still resolved and recorded, so the refusal is an
/// outcome with a reason, never a silent success.
/// </summary>
/// <param name="Reason">The stable code, e.g. <see cref="ReasonCode.RiskNotActive"/>.</param>
/// <param name="Detail">What the source said and what an operator can do.</param>
public sealed record TargetRefusal(ReasonCode Reason, string Detail);
