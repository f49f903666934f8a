using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using RevokeFunctions.Reporting;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.App.Http;

/// <summary>Maps the pipeline's result to an HTTP answer: 200/202 on success, problem details otherwise.</summary>
internal static class RevocationHttpResults
{
    public const string ProblemContentType = "application/problem+json";
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>What a responder must know about what revocation does and does not do.</summary>
    public const string Notice =
        "Revocation invalidates the user's refresh tokens and session cookies. Apps that support Continuous Access "
        + "Evaluation stop within minutes (up to about 15 minutes for Exchange Online, SharePoint Online and Teams); "
        + "access tokens already issued to other apps stay valid until they expire (up to an hour). "
        + "Disable the account for an immediate stop.";

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
            var retryAfter = failing.Max(t => t.RetryAfter);
            if (status == 503)
                problem.Headers["Retry-After"] = ((int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(30)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return problem;
        }

        return new JsonResult<RevocationResponse>(207, JsonContentType,
            new RevocationResponse(result.RequestId, reports, Notice), HttpJsonContext.Default.RevocationResponse);
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
}
