namespace RevokeFunctions.Operations;

/// <summary>What a resubmission (or a discard) did with one dead letter.</summary>
public enum ResubmitOutcome
{
    /// <summary>The copy is on the queue and the dead letter is gone.</summary>
    Resubmitted,

    /// <summary>Dry run: it would have been resubmitted.</summary>
    WouldResubmit,

    /// <summary>A <c>StormGuard</c> or <c>ProtectedAccount</c> letter, left alone: it needs <c>--confirm</c> after review.</summary>
    NeedsConfirmation,

    /// <summary>
    /// The copy was sent but the dead letter could not be removed (its lock was lost). Running the same resubmission
    /// again removes it: the copy's MessageId is the same, so duplicate detection drops the second send.
    /// </summary>
    SentNotRemoved,

    /// <summary>The letter was listed but could not be locked (another operator holds it, or it is gone); nothing was sent.</summary>
    NotReceived,

    /// <summary>The copy could not be sent; the dead letter is kept.</summary>
    Failed,

    /// <summary><c>dlq discard</c>: removed without a copy, because the operator handled the request another way.</summary>
    Discarded,
}
