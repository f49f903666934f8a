namespace RevokeFunctions.WriteBack;

/// <summary>Where one target stands for the write-back.</summary>
public enum OutcomeState
{
    /// <summary>Decided: its outcome is final.</summary>
    Final,

    /// <summary>Handed to the revocation queue: a retry, or a leaver's scheduled date.</summary>
    Pending,

    /// <summary>Left to an operator on the dead-letter queue.</summary>
    DeadLettered,
}
