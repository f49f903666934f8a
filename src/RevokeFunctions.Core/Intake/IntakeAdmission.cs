using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.Intake;

/// <summary>A request at intake: its context bound to its key's generation, or the refusal of a reused key.</summary>
public sealed record IntakeAdmission(RevocationContext Context, IdempotencyKeyStatus KeyStatus, PayloadError? Refusal = null);

/// <summary>What became of a queued attempt that names a request.</summary>
public enum IntakeResumption
{
    /// <summary>The intake record matches the body: the first attempt's caller and authority are restored.</summary>
    Restored,

    /// <summary>The request has an intake record for another body: the message is not that request's.</summary>
    Mismatch,

    /// <summary>No record (none was needed, or it could not be written): the attempt goes on as automation.</summary>
    Missing,

    /// <summary>The ledger did not answer: the attempt goes on as automation.</summary>
    Unavailable,
}
