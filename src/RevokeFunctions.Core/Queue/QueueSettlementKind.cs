namespace RevokeFunctions.Queue;

/// <summary>The one settlement a message ends in.</summary>
public enum QueueSettlementKind
{
    Completed,
    DeadLettered,
    Abandoned,

    /// <summary>The settlement call itself failed (the worker's channel to the host): Service Bus delivers it again.</summary>
    Unsettled,
}
