namespace RevokeFunctions.Verification;

/// <summary>Where the proof of a revocation stands. Stored by name in the ledger: add, never rename.</summary>
public enum VerificationState
{
    /// <summary>Revoked; the read-back has not shown it yet and the bound has not passed.</summary>
    Pending,

    /// <summary>Graph's <c>signInSessionsValidFromDateTime</c> moved to (at or after) the revocation's start.</summary>
    Verified,

    /// <summary>The timestamp did not move within <c>Revocation:Verification:Timeout</c>: a person must look.</summary>
    Unverified,

    /// <summary>The check could not be recorded (its store was down): the revocation stands, nobody will check it.</summary>
    NotScheduled,
}
