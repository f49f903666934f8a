using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using RevokeFunctions.Reporting;
using RevokeFunctions.Requests;

namespace RevokeFunctions.App.Http;

/// <summary>
/// One answer for a CloudEvents batch whose events were each answered as a request of their own. Event Grid reads only
/// the status, and retries or dead-letters the whole batch by it, so the status says what the batch as a whole needs:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>every event finished, queued or scheduled → 200 (202 when some are queued);</item>
/// <item>some event could not be finished or queued now (409, 500, 503) → 503 with <c>Retry-After</c>: Event Grid sends
/// the batch again, and the events already finished are answered from the ledger with no Graph call;</item>
/// <item>otherwise some event was refused for good (bad payload, user not found, protected, storm guard, risk not
/// active) → 400, which Event Grid does not retry and dead-letters where the subscription has a dead-letter
/// destination.</item>
/// </list>
/// The body lists every event's own answer, in batch order, with its own request ID for the status API.
/// </remarks>
internal static class CloudEventBatchResults
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    public static IActionResult From(string batchRequestId, IReadOnlyList<(CloudEventBatchItem Item, string RequestId, IActionResult Answer)> answers)
    {
        var events = answers.Select(a => Entry(a.Item, a.RequestId, a.Answer)).ToList();
        var retry = events.Where(e => IsRetry(e.Status)).ToList();
        var refused = events.Count(e => !IsSuccess(e.Status) && !IsRetry(e.Status));
        int status;
        string detail;
        if (retry.Count > 0)
        {
            status = 503;
            detail = $"{retry.Count} of {events.Count} events could not be finished or queued now; send the batch again "
                + "(events already finished are answered from the ledger and not revoked twice).";
        }
        else if (refused > 0)
        {
            status = 400;
            detail = $"{refused} of {events.Count} events were refused; each event's answer says why. Sending the batch again "
                + "would not change that.";
        }
        else
        {
            status = events.Any(e => e.Status == 202) ? 202 : 200;
            detail = $"All {events.Count} events were handled.";
        }

        var answer = new JsonResult<CloudEventBatchResponse>(status,
            status < 300 ? RevocationHttpResults.JsonContentType : RevocationHttpResults.ProblemContentType,
            new CloudEventBatchResponse(batchRequestId, status, detail, events, RevocationHttpResults.Notice),
            CloudEventBatchJsonContext.Default.CloudEventBatchResponse);
        if (status == 503)
        {
            var wait = retry.Select(e => e.RetryAfter).Where(w => w is not null).Max() ?? DefaultRetryAfter;
            answer.Headers["Retry-After"] = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return answer;
    }

    /// <summary>A 207 means some target failed for good: a refusal, like any other non-success that is not transient.</summary>
    private static bool IsSuccess(int status) => status is 200 or 202;

    private static bool IsRetry(int status) => status is 409 or 500 or 503;

    private static CloudEventBatchEntry Entry(CloudEventBatchItem item, string requestId, IActionResult answer) => answer switch
    {
        JsonResult<RevocationResponse> done => new CloudEventBatchEntry(item.Index, item.EventId, requestId, done.StatusCode, null, null, done.Value.Results),
        JsonResult<ProblemResponse> problem => new CloudEventBatchEntry(item.Index, item.EventId, requestId, problem.StatusCode,
            problem.Value.ReasonCode, problem.Value.Detail, problem.Value.Results)
        {
            Type = problem.Value.Type,
            Path = problem.Value.Path,
            RetryAfter = RetryAfter(problem),
        },
        _ => throw new InvalidOperationException($"An event's answer is a {answer.GetType().Name}, which a batch cannot report."),
    };

    private static TimeSpan? RetryAfter(JsonResult<ProblemResponse> problem) =>
        problem.Headers.TryGetValue("Retry-After", out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
}

/// <summary>The answer to a CloudEvents batch: the batch's own status and every event's answer.</summary>
public sealed record CloudEventBatchResponse(string RequestId, int Status, string Detail, IReadOnlyList<CloudEventBatchEntry> Events, string Notice);

/// <summary>One event's answer within a batch: what a single request with its body would have been answered.</summary>
/// <param name="Index">The event's position in the batch (0-based).</param>
/// <param name="RequestId">The event's own request ID (status API, logs).</param>
public sealed record CloudEventBatchEntry(
    int Index, string? EventId, string RequestId, int Status, string? ReasonCode, string? Detail, IReadOnlyList<TargetReport>? Results)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    [JsonIgnore]
    public TimeSpan? RetryAfter { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CloudEventBatchResponse))]
internal sealed partial class CloudEventBatchJsonContext : JsonSerializerContext;
