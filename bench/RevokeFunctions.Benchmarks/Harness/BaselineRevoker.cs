using System.Text.Json;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// The least a revocation needs from Graph, with a plain <see cref="HttpClient"/>: resolve the UPN to its object ID
/// (<c>GET /users/{upn}?$select=id</c>) and revoke (<c>POST /users/{id}/revokeSignInSessions</c>). No parsing, checks,
/// retries, rate limit or ledger: the yardstick the pipeline's overhead is measured against.
/// </summary>
internal sealed class BaselineRevoker(Uri graphBaseUrl) : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler()) { BaseAddress = new Uri(graphBaseUrl.ToString().TrimEnd('/') + "/") };

    public async Task<bool> RevokeAsync(string userPrincipalName, CancellationToken cancellationToken)
    {
        string? id;
        using (var found = await http.GetAsync($"users/{Uri.EscapeDataString(userPrincipalName)}?$select=id", cancellationToken))
        {
            if (!found.IsSuccessStatusCode)
                return false;
            await using var body = await found.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            id = document.RootElement.TryGetProperty("id", out var value) ? value.GetString() : null;
        }
        if (id is null)
            return false;

        using var revoked = await http.PostAsync($"users/{id}/revokeSignInSessions", content: null, cancellationToken);
        return revoked.IsSuccessStatusCode;
    }

    public void Dispose() => http.Dispose();
}
