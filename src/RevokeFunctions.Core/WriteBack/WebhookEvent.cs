namespace RevokeFunctions.WriteBack;

/// <summary>What a webhook notification is about.</summary>
public enum WebhookEvent
{
    /// <summary>A protected account's sessions were revoked (a person holding <c>Revocations.Protected</c> asked).</summary>
    ProtectedAccountRevoked,

    /// <summary>The storm guard refused targets: automated sources asked for more users than the window allows.</summary>
    StormGuardRefused,

    /// <summary>A queue message was dead-lettered: an operator has to act.</summary>
    DeadLettered,

    /// <summary>A revocation Graph's timestamp never showed within the verification bound: a person must look.</summary>
    RevocationUnverified,

    /// <summary>
    /// HR rescinded a leaver whose revocation already ran: nothing was changed in Entra, and a person decides whether to
    /// re-enable the account.
    /// </summary>
    LeaverRescindedTooLate,
}
