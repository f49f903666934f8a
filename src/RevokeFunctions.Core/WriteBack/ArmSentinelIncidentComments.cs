using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Sentinel incident comments through Azure Resource Manager: <c>PUT {incident}/comments/{id}?api-version=…</c> with the
/// app's credential, which needs Microsoft Sentinel Responder on the workspace. PUT is create-or-update, so sending the
/// same comment ID again replaces the comment: idempotent by construction.
/// </summary>
public sealed class ArmSentinelIncidentComments : ISentinelIncidentComments, IDisposable
{
    private readonly HttpClient http;
    private readonly WriteBackOptions options;

    public ArmSentinelIncidentComments(IOptions<WriteBackOptions> options, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        var transport = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // A redirect would carry the request, token included, somewhere else: ARM does not redirect these calls.
            AllowAutoRedirect = false,
        };
        http = new HttpClient(new ArmAuthenticationHandler(credential, this.options.ArmBaseUrl) { InnerHandler = transport })
        {
            // WriteBackCall bounds each try; this is only the backstop.
            Timeout = TimeSpan.FromMinutes(2),
        };
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

    public void Dispose() => http.Dispose();

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
