using RevokeFunctions.GraphSandbox;

namespace RevokeFunctions.Cli;

/// <summary>Starts the local Graph sandbox on a tenant file for <c>--sandbox</c>.</summary>
internal static class CliSandbox
{
    /// <summary>The running sandbox; null (after saying why) when the tenant file cannot be loaded.</summary>
    public static async Task<GraphSandboxServer?> StartAsync(string tenantPath, TextWriter error, CancellationToken cancellationToken)
    {
        SandboxTenant tenant;
        try
        {
            tenant = SandboxTenant.Load(tenantPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            await error.WriteLineAsync($"Cannot load the sandbox tenant '{tenantPath}': {ex.Message}");
            return null;
        }
        return await GraphSandboxServer.StartAsync(tenant, cancellationToken: cancellationToken);
    }
}
