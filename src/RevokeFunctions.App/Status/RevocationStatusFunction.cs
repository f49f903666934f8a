using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using RevokeFunctions.App.Http;
using Microsoft.Extensions.Options;
using RevokeFunctions.Ledger;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.App.Status;

/// <summary>
/// <c>GET /api/revocations/{requestId}</c>: what the ledger holds for a request, for the responder who got a 202 and a
/// <c>Location</c>, or who wants to know what an alert did. Same caller authorization as the POST.
/// </summary>
public sealed class RevocationStatusFunction(RevocationStatusReader ledger, PlatformAuthentication platform)
{
    /// <summary>Suggested wait when the ledger does not answer.</summary>
    private const string RetryAfterSeconds = "30";

    [Function("GetRevocationStatus")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "revocations/{requestId}")] HttpRequest request,
        string requestId,
        CancellationToken cancellationToken)
    {
        // The ledger names users and requesters: only callers who may submit revocations may read it.
        var caller = CallerAuthorization.Decide(request.Headers, platform);
        if (!caller.IsAllowed)
            return RevocationHttpResults.CallerRefused(caller, requestId ?? "");

        var instance = "/api/revocations/" + Uri.EscapeDataString(requestId ?? "");
        if (!LedgerScope.IsWellFormedRequestId(requestId))
        {
            return Problem(ProblemTypes.MalformedRequestId, instance,
                "A request ID is the requestId the app answered with: up to 100 letters, digits, '-', '_' or '.'.");
        }
        if (!ledger.IsConfigured)
        {
            return Problem(ProblemTypes.LedgerUnavailable, instance,
                "The revocation ledger is not configured (Ledger__serviceUri), so there is no status to show.");
        }

        IReadOnlyList<TargetStatus> entries;
        try
        {
            entries = await ledger.ReadAsync(requestId!, cancellationToken);
        }
        catch (LedgerUnavailableException ex)
        {
            var problem = Problem(ProblemTypes.LedgerUnavailable, instance,
                $"The revocation ledger did not answer ({ex.Message}); the revocations themselves are unaffected. Retry later.");
            problem.Headers["Retry-After"] = RetryAfterSeconds;
            return problem;
        }

        if (entries.Count == 0)
        {
            return Problem(ProblemTypes.RevocationNotFound, instance,
                $"The ledger has no request '{requestId}': it was never received, its payload was refused as a whole (the answer "
                + "to the POST said why), it was a dry run, or it is older than the ledger's retention (Ledger:Retention).");
        }

        return new JsonResult<RevocationStatusResponse>(200, RevocationHttpResults.JsonContentType,
            new RevocationStatusResponse(requestId!, entries), HttpJsonContext.Default.RevocationStatusResponse);
    }

    private static JsonResult<ProblemResponse> Problem((int Status, string Type, string Title) kind, string instance, string detail) =>
        new(kind.Status, RevocationHttpResults.ProblemContentType, new ProblemResponse(kind.Type, kind.Title, kind.Status, detail)
        {
            Instance = instance,
        }, HttpJsonContext.Default.ProblemResponse);
}
