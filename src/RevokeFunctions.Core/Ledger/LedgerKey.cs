namespace RevokeFunctions.Ledger;

/// <summary>Where one target's row lives: the idempotency scope's partition and the target's row.</summary>
public sealed record LedgerKey(string PartitionKey, string RowKey)
{
    /// <summary>The form logs carry, so a log line leads to its row.</summary>
    public override string ToString() => $"{PartitionKey}/{RowKey}";
}
