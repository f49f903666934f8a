namespace RevokeFunctions.Operations;

/// <summary>What a resubmission did, letter by letter, in the order the letters were listed.</summary>
/// <param name="StoppedBy">
/// Set when Service Bus refused or failed mid-way: the letters before it are settled as their results say, the one it
/// hit is <see cref="ResubmitOutcome.Failed"/>, the rest <see cref="ResubmitOutcome.NotReceived"/>.
/// </param>
public sealed record ResubmitReport(IReadOnlyList<ResubmitResult> Results, DeadLetterAccessException? StoppedBy = null)
{
    public int Count(ResubmitOutcome outcome) => Results.Count(r => r.Outcome == outcome);
}
