using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RevokeFunctions.Graph;
using RevokeFunctions.Requests;
using RevokeFunctions.Users;

namespace RevokeFunctions.Revocation;

/// <summary>
/// The one pipeline every trigger, the CLI, the tests and the benchmark run: parse → resolve → decide → revoke.
/// Triggers only adapt their input to this and its result to their answer.
/// </summary>
public sealed partial class RevocationPipeline(
    PayloadParser parser,
    UserResolver resolver,
    ISessionRevoker revoker,
    IOptions<GuardOptions> guards,
    IOptions<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationPipeline> logger)
{
    public async Task<RevocationResult> ProcessAsync(ReadOnlyMemory<byte> body, RevocationContext context, CancellationToken cancellationToken)
    {
        var parsed = parser.Parse(body, context.ReceivedAt);
        if (!parsed.Succeeded)
        {
            LogPayloadRefused(logger, context.RequestId, context.Channel, parsed.Error.Reason, parsed.Error.Kind, parsed.Error.Path);
            return RevocationResult.Invalid(context.RequestId, parsed.Error);
        }
        return await ProcessAsync(parsed.Payload, context, cancellationToken);
    }

    public async Task<RevocationResult> ProcessAsync(ParsedPayload payload, RevocationContext context, CancellationToken cancellationToken)
    {
        var limit = guards.Value.MaxTargets;
        if (payload.Targets.Count > limit)
        {
            var error = new PayloadError(ReasonCode.TooManyTargets, PayloadErrorKind.TooManyTargets,
                $"The payload names {payload.Targets.Count} users; at most {limit} are accepted in one request "
                + "(Guards:MaxTargets). Nobody was revoked; split the request or raise the limit after review.");
            LogPayloadRefused(logger, context.RequestId, context.Channel, error.Reason, error.Kind, null);
            return RevocationResult.Invalid(context.RequestId, error);
        }

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Value.MaxConcurrentTargets,
            CancellationToken = cancellationToken,
        };

        var resolved = new ResolvedTarget[payload.Targets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, resolved.Length), parallel,
            async (i, ct) => resolved[i] = await resolver.ResolveAsync(payload.Targets[i], ct));

        // The same person named twice (by object ID and by UPN) is one target: revoke once, report once.
        var distinct = new List<ResolvedTarget>(resolved.Length);
        var seenUsers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in resolved)
        {
            if (target.User is null || seenUsers.Add(target.User.Id))
                distinct.Add(target);
        }

        var results = new TargetResult[distinct.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), parallel,
            async (i, ct) => results[i] = await DecideAsync(distinct[i], context, ct));

        foreach (var result in results)
            LogDecision(logger, context.RequestId, payload.Source.Kind, result.UserId, result.Outcome, result.Reason, context.Requester);
        return new RevocationResult(context.RequestId, null, payload.Source, results);
    }

    private async Task<TargetResult> DecideAsync(ResolvedTarget resolved, RevocationContext context, CancellationToken cancellationToken)
    {
        var target = resolved.Target;
        switch (resolved.Status)
        {
            case UserLookupStatus.NotFound:
                return new TargetResult(target.Given, null, Outcome.NotFound, ReasonCode.UserNotFound, resolved.Detail) { Target = target };
            case UserLookupStatus.Ambiguous:
                return new TargetResult(target.Given, null, Outcome.NotFound, ReasonCode.AmbiguousUser, resolved.Detail) { Target = target };
            case UserLookupStatus.Failed:
                return FromFailure(target, resolved.User?.Id, resolved.Failure!, "User.Read.All", "resolve the user");
        }

        var user = resolved.User!;
        TargetResult Result(Outcome outcome, ReasonCode? reason = null, string? detail = null) =>
            new(target.Given, user.Id, outcome, reason, detail) { UserPrincipalName = user.UserPrincipalName, Target = target };

        if (user.IsGuest)
        {
            return Result(Outcome.Refused, ReasonCode.GuestUser,
                "This is a B2B guest: revoking sessions here does not end the sessions its home tenant issued. "
                + "Disable the guest account (accountEnabled=false) or remove the guest from the tenant instead.");
        }

        var now = time.GetUtcNow();
        if (target.NotBefore is { } due && due > now)
        {
            return Result(Outcome.Deferred, ReasonCode.NotYetEffective,
                $"The effective date {due:O} is in the future; the revocation is scheduled for then.") with { NotBefore = due };
        }

        // Graph's own timestamp is the truth: if sessions were already invalidated at or after the event, there is
        // nothing left to end, whoever did it and whatever our ledger remembers.
        if (user.SignInSessionsValidFrom is { } validFrom && validFrom >= target.EventTime)
        {
            return Result(Outcome.AlreadyRevoked, null,
                $"Sessions were already revoked at {validFrom:O}, at or after the event at {target.EventTime:O}.");
        }

        if (context.DryRun || guards.Value.DryRun)
            return Result(Outcome.WouldRevoke, ReasonCode.DryRun, "Dry run: every check passed; no revocation was made.");

        var attempt = await revoker.RevokeAsync(user.Id, cancellationToken);
        return attempt.Succeeded
            ? Result(Outcome.Revoked) with { GraphRequestId = attempt.GraphRequestId }
            : FromFailure(target, user.Id, attempt.Failure!, "User.RevokeSessions.All", "revoke the sessions") with
            {
                UserPrincipalName = user.UserPrincipalName,
            };
    }

    private static TargetResult FromFailure(RequestedTarget target, string? userId, GraphFailure failure, string permission, string action)
    {
        var (reason, detail) = failure.Kind switch
        {
            GraphFailureKind.Forbidden => (ReasonCode.GraphForbidden,
                $"Graph refused to {action} (403 {failure.ErrorCode}): grant the app's managed identity the Microsoft Graph "
                + $"application permission {permission}."),
            GraphFailureKind.Unauthorized => (ReasonCode.GraphUnauthorized,
                $"Graph did not accept the app's token (401 {failure.ErrorCode}) when trying to {action}: check the managed identity and tenant."),
            GraphFailureKind.BadRequest or GraphFailureKind.NotFound => (ReasonCode.GraphRejected,
                $"Graph rejected the request to {action} ({failure.StatusCode} {failure.ErrorCode}): {failure.Message}"),
            _ => (ReasonCode.GraphUnavailable,
                $"Graph did not complete the request to {action} after retries ({Describe(failure)}); it will be retried."),
        };
        return new TargetResult(target.Given, userId, Outcome.Failed, reason, detail)
        {
            Target = target,
            IsTransient = failure.IsTransient,
            RetryAfter = failure.RetryAfter,
            GraphRequestId = failure.RequestId,
        };
    }

    private static string Describe(GraphFailure failure) =>
        failure.StatusCode is { } status ? $"{status} {failure.ErrorCode}".TrimEnd() : failure.Kind.ToString();

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Revocation request {RequestId} via {Channel} refused: {ReasonCode} ({ErrorKind}) at {JsonPath}")]
    private static partial void LogPayloadRefused(ILogger logger, string requestId, RequestChannel channel, ReasonCode reasonCode, PayloadErrorKind errorKind, string? jsonPath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Revocation decision for request {RequestId} from {Source}: user {UserId} {Outcome} {ReasonCode}, requested by {Requester}")]
    private static partial void LogDecision(ILogger logger, string requestId, string source, string? userId, Outcome outcome, ReasonCode? reasonCode, string? requester);
}
