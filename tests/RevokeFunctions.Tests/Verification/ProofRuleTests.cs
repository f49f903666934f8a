using RevokeFunctions.Verification;

namespace RevokeFunctions.Tests.Verification;

/// <summary>
/// When Graph's timestamp proves a revocation, with our clock and the directory's apart: the rule
/// <see cref="VerificationTicket.IsProvedBy"/> the timer and the CLI both apply.
/// </summary>
public sealed class ProofRuleTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, 700, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private static VerificationTicket Ticket(DateTimeOffset? previous) => new("req", Guid.NewGuid().ToString("D"), Start, previous);

    [Fact]
    public void A_timestamp_in_the_same_whole_second_as_the_start_proves_it() =>
        Assert.True(Ticket(Start.AddDays(-3)).IsProvedBy(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero), Skew));

    [Fact]
    public void A_directory_clock_behind_ours_within_the_allowance_still_proves_it() =>
        Assert.True(Ticket(Start.AddDays(-3)).IsProvedBy(Start.AddSeconds(-20), Skew));

    [Fact]
    public void A_timestamp_before_the_allowance_does_not() =>
        Assert.False(Ticket(Start.AddDays(-3)).IsProvedBy(Start.AddSeconds(-45), Skew));

    [Fact]
    public void An_earlier_revocation_inside_the_allowance_does_not_pass_for_this_one() =>
        Assert.False(Ticket(Start.AddSeconds(-10)).IsProvedBy(Start.AddSeconds(-10), Skew));

    [Fact]
    public void A_user_never_revoked_before_is_proven_by_any_timestamp_at_the_start() =>
        Assert.True(Ticket(null).IsProvedBy(Start.AddSeconds(1), Skew));

    [Fact]
    public void No_timestamp_proves_nothing() => Assert.False(Ticket(null).IsProvedBy(null, Skew));
}
