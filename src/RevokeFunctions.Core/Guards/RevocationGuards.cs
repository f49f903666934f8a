using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.Users;

namespace RevokeFunctions.Guards;

/// <summary>
/// The guard rails between resolution and the Graph write, for the targets a request is about to revoke: first the
/// protected-account check, then the storm guard for what is left. Run once per request, with the targets in payload
/// order, so that when the storm guard bites it is the first users of the payload that are revoked.
/// </summary>
public sealed partial class RevocationGuards(
    IProtectedAccountPolicy protection,
    IStormGuard storm,
    IOptions<GuardOptions> options,
    UserNameLogFormatter names,
    ILogger<RevocationGuards> logger)
{
    /// <summary>Suggested wait before retrying when the storm guard could not count.</summary>
    public static readonly TimeSpan UnavailableRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>One verdict per candidate, in the candidates' order.</summary>
    /// <param name="candidates">Resolved targets (each with its user) that would be revoked now, in payload order.</param>
    public async Task<IReadOnlyList<GuardVerdict>> CheckAsync(
        IReadOnlyList<ResolvedTarget> candidates, RevocationContext context, SourceReference source, ParallelOptions parallel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        var origin = RequestOriginPolicy.Classify(context.IntakeChannel, context.CallerIsPerson, source.Kind);
        var verdicts = new GuardVerdict[candidates.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, candidates.Count), parallel,
            async (i, ct) => verdicts[i] = await ProtectAsync(candidates[i], origin, context, source, ct));

        var admitting = Enumerable.Range(0, candidates.Count).Where(i => verdicts[i].Stop is null).ToList();
        if (admitting.Count == 0)
            return verdicts;
        var stormRequest = new StormGuardRequest(origin, [.. admitting.Select(i => candidates[i].User!.Id)], context.RequestId, source.Kind,
            DryRun: context.DryRun || options.Value.DryRun);
        var decision = await storm.AdmitAsync(stormRequest, cancellationToken);
        foreach (var i in admitting)
        {
            var user = candidates[i].User!;
            if (decision.IsUnavailable)
            {
                verdicts[i] = verdicts[i] with
                {
                    Stop = Result(candidates[i], Outcome.Failed, ReasonCode.GuardUnavailable, decision.Problem) with
                    {
                        IsTransient = true,
                        RetryAfter = UnavailableRetryAfter,
                    },
                };
            }
            else if (decision.Refused.Contains(user.Id))
            {
                verdicts[i] = verdicts[i] with
                {
                    Stop = Result(candidates[i], Outcome.Refused, ReasonCode.StormGuard,
                        $"Storm guard: {Describe(origin)} may have at most {decision.Limit} distinct users revoked within "
                        + $"{decision.Window.ToString("c", CultureInfo.InvariantCulture)} across all instances, and the window is full. "
                        + "This user was not revoked: review the burst, then resubmit once the window has drained, or revoke as a person "
                        + "(the CLI, or HTTP in the native format), who is not limited."),
                };
            }
        }
        return verdicts;
    }

    private async Task<GuardVerdict> ProtectAsync(ResolvedTarget candidate, RequestOrigin origin, RevocationContext context, SourceReference source, CancellationToken cancellationToken)
    {
        var user = candidate.User!;
        var status = await protection.CheckAsync(user, cancellationToken);
        if (status.IsUnknown)
        {
            // Fail closed: a check that did not answer never counts as "not protected".
            return new GuardVerdict(RevocationPipeline.FromFailure(candidate.Target, user.Id, status.Failure!,
                "GroupMember.Read.All", "check protected-group membership") with { UserPrincipalName = user.UserPrincipalName });
        }
        if (!status.IsProtected)
            return GuardVerdict.Proceed;

        var upn = names.Format(user.UserPrincipalName);
        if (origin == RequestOrigin.Person && context.MayRevokeProtected)
        {
            LogProtectedRevokeAllowed(logger, user.Id, upn, names.Redact(status.Because), names.Redact(context.Requester), context.RequestId);
            return new GuardVerdict(Note:
                $"A protected account ({status.Because}), revoked at the request of {context.Requester}, who holds the app role Revocations.Protected.");
        }

        LogProtectedRefused(logger, user.Id, upn, names.Redact(status.Because), origin, source.Kind, names.Redact(context.Requester), context.RequestId);
        return new GuardVerdict(Result(candidate, Outcome.Refused, ReasonCode.ProtectedAccount,
            $"This is a protected account ({status.Because}). Only a person calling the HTTP API in the native format with the "
            + "app role Revocations.Protected may revoke it; alerts, HR messages, the queue, the CLI and other callers may not. "
            + "Nobody was revoked; if the revocation is warranted, have a holder of that role submit it."));
    }

    private static TargetResult Result(ResolvedTarget candidate, Outcome outcome, ReasonCode reason, string? detail) =>
        new(candidate.Target.Given, candidate.User!.Id, outcome, reason, detail)
        {
            UserPrincipalName = candidate.User.UserPrincipalName,
            Target = candidate.Target,
        };

    private static string Describe(RequestOrigin origin) => origin == RequestOrigin.Leaver
        ? "HR leaver messages (Guards:StormGuard:LeaverMaxUsers)"
        : "automated sources (Guards:StormGuard:MaxUsers)";

    [LoggerMessage(EventId = 720, Level = LogLevel.Warning,
        Message = "Protected account {UserId} ({UserPrincipalName}, {Because}) not revoked: request {RequestId} from {Origin} source {Source}, requested by {Requester}")]
    private static partial void LogProtectedRefused(ILogger logger, string userId, string? userPrincipalName, string? because, RequestOrigin origin,
        string source, string? requester, string requestId);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning,
        Message = "Protected account {UserId} ({UserPrincipalName}, {Because}) being revoked at the request of {Requester}, who holds Revocations.Protected (request {RequestId})")]
    private static partial void LogProtectedRevokeAllowed(ILogger logger, string userId, string? userPrincipalName, string? because, string? requester, string requestId);
}
