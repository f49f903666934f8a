using System.Net.Http.Headers;
using Azure.Core;

namespace RevokeFunctions.WriteBack;

/// <summary>
/// Adds the app's bearer token to requests for Azure Resource Manager's own hosts, and to no other host: a stand-in
/// on this machine never sees one and the credential is never asked for it, as with the Graph client.
/// </summary>
internal sealed class ArmAuthenticationHandler(TokenCredential credential, Uri armBaseUrl) : DelegatingHandler
{
    /// <summary>Azure Resource Manager in the public and national clouds.</summary>
    internal static readonly string[] ArmHosts =
    [
        "management.azure.com",
        "management.usgovcloudapi.net",
        "management.chinacloudapi.cn",
    ];

    private readonly TokenRequestContext scope = new([$"{armBaseUrl.GetLeftPart(UriPartial.Authority)}/.default"]);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { Scheme: "https" } uri && ArmHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase))
        {
            // The managed identity credential caches its tokens: this is a lookup, not a round trip, per request.
            var token = await credential.GetTokenAsync(scope, cancellationToken);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
