using RevokeFunctions.Revocation;

namespace RevokeFunctions.WriteBack;

/// <summary>What the record keeps of a request's dead letter: its code and what the operator should do.</summary>
internal sealed record RecordedDeadLetter(ReasonCode Reason, string Description);
