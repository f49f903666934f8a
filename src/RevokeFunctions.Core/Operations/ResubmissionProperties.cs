namespace RevokeFunctions.Operations;

/// <summary>
/// Application properties an operator's resubmission stamps on the copy it sends. They deliberately do not start with
/// <c>Revoke</c>: the app rewrites its own <c>Revoke*</c> properties at every hop, while these are carried on every
/// later retry copy like a submitter's own properties, so a letter that comes back still says it was resubmitted, how
/// often and by whom, and its next resubmission gets a new MessageId.
/// </summary>
public static class ResubmissionProperties
{
    /// <summary>How many times the request was resubmitted from the dead-letter queue (1 for the first time).</summary>
    public const string Count = "ResubmissionCount";

    /// <summary>Who resubmitted it: the signed-in identity's name, else the local user name.</summary>
    public const string By = "ResubmittedBy";

    /// <summary>When (ISO 8601, UTC).</summary>
    public const string AtUtc = "ResubmittedAtUtc";

    /// <summary>The dead letter's sequence number, to find it in the logs of that day.</summary>
    public const string FromSequenceNumber = "ResubmittedFromSequenceNumber";
}
