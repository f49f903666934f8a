using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Sentinel incident comments through Azure Resource Manager: <c>PUT {incident}/comments/{id}?api-version=…</c> with the
/// app's credential, which needs Microsoft Sentinel Responder on the workspace. PUT is create-or-update, so sending the
/// same comment ID again replaces the comment: idempotent by construction. The client comes from
/// <see cref="IHttpClientFactory"/> with the standard resilience handler and <see cref="ArmAuthenticationHandler"/>.
/// </summary>
public sealed class ArmSentinelIncidentComments : ISentinelIncidentComments
{
    private readonly HttpClient http;
    private readonly WriteBackOptions options;

    public ArmSentinelIncidentComments(HttpClient http, IOptions<WriteBackOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.options = options.Value;
    }

    public async Task PutAsync(SentinelIncidentId incident, Guid commentId, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var root = options.ArmBaseUrl.ToString().TrimEnd('/');
        var uri = new Uri($"{root}{incident.CommentPath(commentId)}?api-version={Uri.EscapeDataString(options.SentinelApiVersion)}");
        var body = new ArmCommentBody(new ArmCommentProperties(message));
        using var response = await http.PutAsJsonAsync(uri, body, WriteBackJsonContext.Default.ArmCommentBody, cancellationToken);
        if (response.IsSuccessStatusCode)
            return;

        var status = (int)response.StatusCode;
        var code = await ReadErrorCodeAsync(response, cancellationToken);
        throw new WriteBackException($"Azure Resource Manager answered {status}{(code is null ? "" : " " + code)}", status,
            WriteBackException.IsTransientStatus(status), response.Headers.RetryAfter?.Delta);
    }

    private static async Task<string?> ReadErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(WriteBackJsonContext.Default.ArmErrorResponse, cancellationToken);
            // Codes are short tokens (AuthorizationFailed, ResourceNotFound); anything else is not echoed.
            return error?.Error?.Code is { Length: > 0 and <= 100 } code && code.All(char.IsAsciiLetterOrDigit) ? code : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
