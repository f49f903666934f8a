using RevokeFunctions.Revocation;

namespace RevokeFunctions.Queue;

/// <summary>How the handler settled a message, and how many copies it sent on before doing so.</summary>
public sealed record QueueSettlement(QueueSettlementKind Kind, ReasonCode? Reason, int FollowUps)
{
    /// <summary>The settlement the handler asked for; differs from <see cref="Kind"/> only when that call failed (<see cref="QueueSettlementKind.Unsettled"/>).</summary>
    public QueueSettlementKind Wanted { get; init; } = Kind;
}
