namespace RevokeFunctions.Operations;

/// <summary>One dead letter's resubmission: a line of <c>dlq resubmit --output json</c>; add fields, never rename.</summary>
/// <param name="CopyMessageId">The MessageId the copy was (or would be) sent with.</param>
/// <param name="Detail">What happened, in a sentence an operator can act on.</param>
public sealed record ResubmitResult(long SequenceNumber, string RequestId, string? Reason, ResubmitOutcome Outcome, string? CopyMessageId, string Detail);
