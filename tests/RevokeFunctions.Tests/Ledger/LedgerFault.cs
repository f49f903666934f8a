namespace RevokeFunctions.Tests.Ledger;

/// <summary>Where <see cref="FaultyLedger"/> stops a revocation, in the order the steps happen.</summary>
public enum LedgerFault
{
    /// <summary>Before the first write: nothing is recorded.</summary>
    BeforeReceive,

    /// <summary>After the row is written <c>Received</c>, before the claim.</summary>
    AfterReceive,

    /// <summary>After the <c>Revoking</c> claim (the intent), before Graph is called.</summary>
    AfterClaim,

    /// <summary>After Graph revoked, before the outcome is recorded.</summary>
    BeforeRecord,

    /// <summary>After the outcome is recorded, before the caller hears of it.</summary>
    AfterRecord,
}

/// <summary>Stands for the process dying: nothing in the app catches it, exactly as nothing runs after a crash.</summary>
public sealed class SimulatedCrashException(LedgerFault fault) : Exception($"Simulated crash at {fault}.")
{
    public LedgerFault Fault { get; } = fault;
}
