using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RevokeFunctions.Requests;
using RevokeFunctions.Revocation;

namespace RevokeFunctions.App.Http;

/// <summary><c>POST /api/revocations</c>: a thin adapter from HTTP to the revocation pipeline.</summary>
public sealed class SubmitRevocationFunction(RevocationPipeline pipeline, IOptions<PayloadLimits> limits, TimeProvider time)
{
    [Function("SubmitRevocation")]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "revocations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("D");
        if (!RequestBody.IsJson(request.ContentType, out var mediaProblem))
            return RevocationHttpResults.Problem(PayloadError.Invalid(PayloadErrorKind.UnsupportedMediaType, mediaProblem), requestId);

        var maxBytes = limits.Value.MaxBodyBytes;
        var body = await RequestBody.ReadAsync(request, maxBytes, cancellationToken);
        if (body is null)
        {
            return RevocationHttpResults.Problem(PayloadError.Invalid(PayloadErrorKind.TooLarge,
                $"The body is larger than {maxBytes} bytes (Limits:MaxBodyBytes); nothing was read or revoked."), requestId);
        }

        var context = new RevocationContext(requestId, RequestChannel.Http, time.GetUtcNow())
        {
            DryRun = IsTrue(request.Query["dryRun"]),
            IdempotencyKey = IdempotencyKey(request),
        };
        var result = await pipeline.ProcessAsync(body.Value, context, cancellationToken);
        return RevocationHttpResults.From(result);
    }

    /// <summary>The IETF draft's <c>Idempotency-Key</c> header; capped so a hostile value cannot bloat the ledger key.</summary>
    private static string? IdempotencyKey(HttpRequest request) =>
        request.Headers["Idempotency-Key"].ToString() is { Length: > 0 and <= 200 } key ? key : null;

    private static bool IsTrue(string? value) => bool.TryParse(value, out var flag) && flag;
}
