using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using RevokeFunctions.Queue;
using RevokeFunctions.Reporting;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;
using RevokeFunctions.WriteBack;

namespace RevokeFunctions.App.Http;

/// <summary>Maps the pipeline's result to an HTTP answer: 200/202 on success, problem details otherwise.</summary>
internal static class RevocationHttpResults
{
    public const string ProblemContentType = "application/problem+json";
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The problem type of a 503 whose unfinished targets the revocation queue did not take.</summary>
    public const string QueueUnavailableType = "urn:revokefunctions:problem:queue-unavailable";

    /// <summary>Wait suggested to a caller whose unfinished targets could not be queued, when Graph named none.</summary>
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>What a responder must know about what revocation does and does not do; the comments on the source say the same.</summary>
    public const string Notice = RevocationNotice.Text;

    public static IActionResult From(RevocationResult result)
    {
        if (result.Error is { } error)
            return Problem(error, result.RequestId);

        var reports = result.Targets.Select(TargetReport.From).ToList();
        var failing = result.Targets.Where(t => !t.IsSuccess).ToList();
        if (failing.Count == 0)
        {
            var deferred = result.Targets.Any(t => t.Outcome == Outcome.Deferred);
            return new JsonResult<RevocationResponse>(deferred ? 202 : 200, JsonContentType,
                new RevocationResponse(result.RequestId, reports, Notice), HttpJsonContext.Default.RevocationResponse);
        }

        // Every target failed for the same reason: the reason is the answer. Mixed results are 207, each with its own outcome.
        var reason = failing[0].Reason ?? ReasonCode.InvalidPayload;
        if (failing.Count == result.Targets.Count && failing.All(t => t.Reason == reason))
        {
            var (status, type, title) = ProblemTypes.For(reason);
            var problem = new JsonResult<ProblemResponse>(status, ProblemContentType,
                new ProblemResponse(type, title, status, failing[0].Detail ?? title)
                {
                    Instance = $"/api/revocations/{result.RequestId}",
                    ReasonCode = reason.ToString(),
                    RequestId = result.RequestId,
                    Results = reports,
                }, HttpJsonContext.Default.ProblemResponse);
            if (status == 503)
                problem.Headers["Retry-After"] = Seconds(failing.Max(t => t.RetryAfter) ?? DefaultRetryAfter);
            return problem;
        }

        return new JsonResult<RevocationResponse>(207, JsonContentType,
            new RevocationResponse(result.RequestId, reports, Notice), HttpJsonContext.Default.RevocationResponse);
    }

    /// <summary>
    /// Some targets were handed to the revocation queue (a retry after a transient failure or to record an outcome the
    /// ledger missed, or a leaver scheduled for the effective date): 202 with <c>Location</c> when every other target is
    /// finished, 207 when some failed for good.
    /// </summary>
    public static IActionResult Queued(RevocationResult result, IReadOnlyList<QueuedRevocation> followUps)
    {
        var queuedAt = new Dictionary<string, QueuedRevocation>(StringComparer.Ordinal);
        foreach (var followUp in followUps)
        {
            foreach (var key in followUp.Envelope.PendingTargets)
                queuedAt[key] = followUp;
        }

        QueuedRevocation? QueuedFor(TargetResult target) =>
            target.Target is { } parsed && queuedAt.TryGetValue(TargetKey.For(parsed), out var followUp) ? followUp : null;

        var reports = result.Targets.Select(target =>
        {
            var report = TargetReport.From(target);
            return !target.IsSuccess && QueuedFor(target) is { ScheduledFor: var due }
                ? report with
                {
                    Detail = $"{FirstClause(target.Detail)}; the revocation is queued and will be retried from {due:O}.",
                }
                : report;
        }).ToList();
        var allAccepted = result.Targets.All(t => t.IsSuccess || QueuedFor(t) is not null);
        var answer = new JsonResult<RevocationResponse>(allAccepted ? 202 : 207, JsonContentType,
            new RevocationResponse(result.RequestId, reports, Notice), HttpJsonContext.Default.RevocationResponse);
        answer.Headers["Location"] = $"/api/revocations/{result.RequestId}";
        return answer;
    }

    /// <summary>
    /// Targets that could not be finished now could not be queued either: 503 with Retry-After, so the caller sends the
    /// request again; nothing is pending on this side for them.
    /// </summary>
    public static IActionResult NotQueued(RevocationResult result)
    {
        // A target revoked in Graph whose ledger row is all that is missing is done where it matters: its result
        // carries a warning, and a 503 would tell the caller the revocation itself had failed.
        var unfinished = result.Targets
            .Where(t => TargetSettlements.Of(t) is TargetSettlement.Retry or TargetSettlement.Defer)
            .Where(t => !(t.LedgerPending && t.Outcome is Outcome.Revoked or Outcome.AlreadyRevoked))
            .ToList();
        if (unfinished.Count == 0)
            return From(result);
        var reason = unfinished.Select(t => t.Reason).FirstOrDefault(r => r is not null) ?? ReasonCode.GraphUnavailable;
        const int status = 503;
        var problem = new JsonResult<ProblemResponse>(status, ProblemContentType,
            new ProblemResponse(QueueUnavailableType, "The revocation could not be completed or queued; retry", status,
                $"{unfinished.Count} of {result.Targets.Count} users could not be finished now and the revocation queue did not "
                + "accept them for later, so nothing is pending for them: send the request again after the Retry-After interval.")
            {
                Instance = $"/api/revocations/{result.RequestId}",
                ReasonCode = reason.ToString(),
                RequestId = result.RequestId,
                Results = [.. result.Targets.Select(TargetReport.From)],
            }, HttpJsonContext.Default.ProblemResponse);
        problem.Headers["Retry-After"] = Seconds(unfinished.Max(t => t.RetryAfter) ?? DefaultRetryAfter);
        return problem;
    }

    /// <summary>
    /// The pipeline could not run at all (a store or the credential failed before any target had a result): the whole
    /// request was handed to the revocation queue, so 202 with <c>Location</c>; nobody has a result yet.
    /// </summary>
    public static IActionResult HandedOver(string requestId)
    {
        var answer = new JsonResult<RevocationResponse>(202, JsonContentType, new RevocationResponse(requestId, [], Notice),
            HttpJsonContext.Default.RevocationResponse);
        answer.Headers["Location"] = $"/api/revocations/{requestId}";
        return answer;
    }

    /// <summary>The pipeline could not run and the queue did not take the request either: 503 with Retry-After, nothing pending.</summary>
    public static IActionResult DependencyUnavailable(string requestId, string problemText)
    {
        var (status, type, title) = ProblemTypes.DependencyUnavailable;
        var problem = new JsonResult<ProblemResponse>(status, ProblemContentType,
            new ProblemResponse(type, title, status,
                $"A service the app depends on did not answer ({problemText}) and the revocation queue did not accept the request "
                + "for later, so nothing is pending and nobody was revoked by this request: send it again after the Retry-After interval.")
            {
                Instance = $"/api/revocations/{requestId}",
                RequestId = requestId,
            }, HttpJsonContext.Default.ProblemResponse);
        problem.Headers["Retry-After"] = Seconds(DefaultRetryAfter);
        return problem;
    }

    /// <summary>401 or 403 for a caller <see cref="CallerAuthorization"/> turned away; nothing was read or revoked.</summary>
    public static JsonResult<ProblemResponse> CallerRefused(CallerDecision caller, string requestId)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (status, type, title) = caller.Verdict switch
        {
            CallerVerdict.Forbidden => ProblemTypes.CallerForbidden,
            CallerVerdict.AuthenticationNotConfigured => ProblemTypes.AuthenticationNotConfigured,
            _ => ProblemTypes.Unauthenticated,
        };
        var problem = new JsonResult<ProblemResponse>(status, ProblemContentType,
            new ProblemResponse(type, title, status, caller.Detail ?? title) { RequestId = requestId }, HttpJsonContext.Default.ProblemResponse);
        if (status == 401)
            problem.Headers["WWW-Authenticate"] = "Bearer";
        return problem;
    }

    public static JsonResult<ProblemResponse> Problem(PayloadError error, string requestId)
    {
        var (status, type, title) = ProblemTypes.For(error.Kind);
        return new JsonResult<ProblemResponse>(status, ProblemContentType,
            new ProblemResponse(type, title, status, error.Detail)
            {
                Instance = $"/api/revocations/{requestId}",
                ReasonCode = error.Reason.ToString(),
                RequestId = requestId,
                Path = error.Path,
            }, HttpJsonContext.Default.ProblemResponse);
    }

    private static string Seconds(TimeSpan wait) => ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The pipeline's transient detail ends "…; it will be retried."; the queued answer says when instead.</summary>
    private static string FirstClause(string? detail)
    {
        var text = detail ?? "The revocation did not complete";
        var end = text.IndexOf("; it will be retried", StringComparison.Ordinal);
        return (end > 0 ? text[..end] : text).TrimEnd('.');
    }
}
