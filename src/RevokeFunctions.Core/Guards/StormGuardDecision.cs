namespace RevokeFunctions.Guards;

/// <summary>The storm guard's answer for one request.</summary>
/// <param name="Refused">Users not to revoke: the window is full. Everyone else asked about is admitted.</param>
/// <param name="Limit">The origin's limit; 0 for people, who are not limited.</param>
/// <param name="CountInWindow">Distinct users counted in the window after this request.</param>
/// <param name="Problem">Set when the count could not be read or updated: nobody asked about may be revoked now.</param>
public sealed record StormGuardDecision(IReadOnlySet<string> Refused, int Limit, TimeSpan Window, int CountInWindow, string? Problem = null)
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public bool IsUnavailable => Problem is not null;

    public static StormGuardDecision Unlimited { get; } = new(None, 0, TimeSpan.Zero, 0);

    public static StormGuardDecision Unavailable(string problem) => new(None, 0, TimeSpan.Zero, 0, problem);

    public bool Admits(string userId) => !IsUnavailable && !Refused.Contains(userId);
}
