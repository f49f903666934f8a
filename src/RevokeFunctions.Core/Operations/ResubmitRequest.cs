namespace RevokeFunctions.Operations;

/// <summary>A resubmission: which letters, and whether to act.</summary>
/// <param name="Selection">The letters; a <see cref="DeadLetterFilter.SequenceNumber"/> that matches nothing is reported, not ignored.</param>
public sealed record ResubmitRequest(DeadLetterFilter Selection)
{
    /// <summary>List what would be sent; send and remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Resubmit <c>StormGuard</c> and <c>ProtectedAccount</c> letters too: the operator has reviewed them.</summary>
    public bool Confirm { get; init; }
}
