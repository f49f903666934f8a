using RevokeFunctions.Revocation;

namespace RevokeFunctions.Queue;

/// <summary>How the handler settled a message, and how many copies it sent on before doing so.</summary>
public sealed record QueueSettlement(QueueSettlementKind Kind, ReasonCode? Reason, int FollowUps);
