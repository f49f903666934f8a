using System.Net;
using Microsoft.Extensions.Options;

namespace RevokeFunctions.Ledger;

/// <summary>
/// Checks beyond the annotations: identity-based access in Azure, and connection strings for the local emulator only,
/// because a storage account key in an app setting is exactly the kind of secret this app is built not to hold.
/// </summary>
/// <param name="hostedInAzure">The app runs in Azure, where a missing ledger would silently lose the audit trail.</param>
public sealed class LedgerOptionsValidator(bool hostedInAzure) : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (options.ServiceUri is { } uri && !(uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)))
            failures.Add($"Ledger:serviceUri is '{uri}'; it must be the https Table endpoint, e.g. https://<account>.table.core.windows.net.");

        if (!string.IsNullOrWhiteSpace(options.ConnectionString) && !IsLocal(options.ConnectionString))
        {
            failures.Add("Ledger:connectionString is only for Azurite (UseDevelopmentStorage=true or a 127.0.0.1 TableEndpoint); "
                + "in Azure set Ledger:serviceUri and grant the app's managed identity Storage Table Data Contributor.");
        }

        if (hostedInAzure && !options.IsConfigured)
        {
            failures.Add("Ledger:serviceUri is not set: in Azure the revocation ledger is required (the audit trail and the "
                + "idempotency records live there). Set Ledger__serviceUri to the storage account's Table endpoint.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsLocal(string connectionString)
    {
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                continue;
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (key.Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase))
                return value.Equals("true", StringComparison.OrdinalIgnoreCase);
            if (key.Equals("TableEndpoint", StringComparison.OrdinalIgnoreCase))
                return Uri.TryCreate(value, UriKind.Absolute, out var endpoint) && IsLoopback(endpoint);
        }
        return false;
    }

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host, out var address) && IPAddress.IsLoopback(address));
}
