namespace RevokeFunctions.WriteBack;

/// <summary>The places a request's outcome is written back to. The names are the record's column prefixes: add, never rename.</summary>
public enum WriteBackChannel
{
    SentinelComment,
    DefenderComment,
    Webhook,
    ManagerEmail,
}
