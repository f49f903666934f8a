namespace RevokeFunctions.Queue;

/// <summary>The one settlement a message ends in.</summary>
public enum QueueSettlementKind
{
    Completed,
    DeadLettered,
    Abandoned,
}
