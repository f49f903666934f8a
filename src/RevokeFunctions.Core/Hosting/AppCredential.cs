using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace RevokeFunctions.Hosting;

/// <summary>
/// The one credential for Graph, Service Bus and Table storage. A managed identity in Azure (user-assigned when
/// <c>AZURE_CLIENT_ID</c> is set), the developer's own sign-in (Azure CLI, azd, Visual Studio) elsewhere. There is no
/// path that reads a client secret or certificate: environment and workload-identity credentials are excluded.
/// </summary>
public static class AppCredential
{
    /// <summary><c>Azure:Credential</c>: <c>ManagedIdentity</c> or <c>Developer</c>; unset means "managed identity where one exists".</summary>
    public const string ModeKey = "Azure:Credential";

    public static TokenCredential Create(IConfiguration configuration)
    {
        var clientId = configuration["AZURE_CLIENT_ID"];
        var hostedInAzure = !string.IsNullOrEmpty(configuration["IDENTITY_ENDPOINT"]) || !string.IsNullOrEmpty(configuration["MSI_ENDPOINT"]);
        var mode = configuration[ModeKey] ?? (hostedInAzure ? "ManagedIdentity" : "Developer");

        if (string.Equals(mode, "ManagedIdentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }
        if (string.Equals(mode, "Developer", StringComparison.OrdinalIgnoreCase))
        {
            return new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ExcludeEnvironmentCredential = true,
                ExcludeWorkloadIdentityCredential = true,
                ExcludeManagedIdentityCredential = true,
                ExcludeInteractiveBrowserCredential = true,
            });
        }
        throw new InvalidOperationException($"{ModeKey} is '{mode}'; use ManagedIdentity or Developer.");
    }
}
