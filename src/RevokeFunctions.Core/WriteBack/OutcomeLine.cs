using RevokeFunctions.Queue;
using RevokeFunctions.Revocation;
using RevokeFunctions.Verification;

namespace RevokeFunctions.WriteBack;

/// <summary>One target's line in a comment or a notification.</summary>
/// <param name="Key">The target's <see cref="TargetKey"/>, which names it across every attempt of the request.</param>
/// <param name="Given">The user as the payload gave it.</param>
public sealed record OutcomeLine(string Key, string Given, Outcome Outcome, OutcomeState State)
{
    public string? UserId { get; init; }

    public string? UserPrincipalName { get; init; }

    public ReasonCode? Reason { get; init; }

    /// <summary>The pipeline's detail, cut to <see cref="MaxDetailLength"/>.</summary>
    public string? Detail { get; init; }

    /// <summary>For <see cref="OutcomeState.DeadLettered"/>: the code the dead letter gives this target.</summary>
    public ReasonCode? DeadLetterReason { get; init; }

    public bool IsProtected { get; init; }

    /// <summary>The target's place in the payload, so lines keep payload order across attempts.</summary>
    public int Position { get; init; }

    /// <summary>The outcome was read back from the ledger, not decided now.</summary>
    public bool Replayed { get; init; }

    /// <summary>
    /// The proof of a revocation: <see cref="VerificationState.Pending"/> from the decision until the verification
    /// records <see cref="VerificationState.Verified"/> or <see cref="VerificationState.Unverified"/>; null when none is due.
    /// </summary>
    public VerificationState? Verification { get; init; }

    /// <summary>Graph's <c>signInSessionsValidFromDateTime</c> as the verification read it back.</summary>
    public DateTimeOffset? SessionsValidFrom { get; init; }

    public const int MaxDetailLength = 300;

    /// <summary>The user as a reader knows them: the UPN, else what the payload gave.</summary>
    public string Name => UserPrincipalName ?? Given;

    /// <summary>The lines of one attempt, in payload order. Targets without a parsed identity cannot be followed across attempts and are skipped.</summary>
    public static IReadOnlyList<OutcomeLine> From(RequestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var lines = new List<OutcomeLine>(outcome.Result.Targets.Count);
        var position = 0;
        foreach (var target in outcome.Result.Targets)
        {
            position++;
            if (target.Target is not { } parsed)
                continue;
            var key = TargetKey.For(parsed);
            var state = outcome.DeadLettered.Contains(key) ? OutcomeState.DeadLettered
                : outcome.Pending.Contains(key) ? OutcomeState.Pending
                : OutcomeState.Final;
            lines.Add(new OutcomeLine(key, target.Given, target.Outcome, state)
            {
                UserId = target.UserId,
                UserPrincipalName = target.UserPrincipalName,
                Reason = target.Reason,
                Detail = Cut(target.Detail),
                // The planner dead-letters a retry that ran out of attempts under its own code.
                DeadLetterReason = state == OutcomeState.DeadLettered
                    ? TargetSettlements.Of(target) == TargetSettlement.DeadLetter ? target.Reason : ReasonCode.TransientExhausted
                    : null,
                IsProtected = target.UserId is { } id && outcome.ProtectedUserIds.Contains(id),
                Position = position,
                Replayed = target.Replayed,
                Verification = target.Verification?.State,
                SessionsValidFrom = target.Verification?.SessionsValidFrom,
            });
        }
        return lines;
    }

    internal static string? Cut(string? text) =>
        text is { Length: > MaxDetailLength } ? text[..(MaxDetailLength - 1)] + "…" : text;
}
