namespace RevokeFunctions.Ledger;

/// <summary>
/// The ledger could not be read or written (Table storage down, unreachable, throttling, no permission, too slow).
/// The pipeline revokes anyway and marks the result <see cref="Revocation.TargetResult.LedgerPending"/>.
/// </summary>
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException()
    {
    }

    public LedgerUnavailableException(string message)
        : base(message)
    {
    }

    public LedgerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
