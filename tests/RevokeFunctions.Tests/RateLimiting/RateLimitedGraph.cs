using System.Globalization;
using System.Text;
using RevokeFunctions.GraphSandbox;
using RevokeFunctions.Tests.Infrastructure;

namespace RevokeFunctions.Tests.RateLimiting;

/// <summary>A tenant of numbered users and the payloads and limiter settings the rate-limit tests send.</summary>
internal static class RateLimitedGraph
{
    public static SandboxTenant Tenant(int count) => SandboxTenant.FromUsers(Enumerable.Range(0, count).Select(i => new SandboxUser(
        ObjectId(i), Upn(i), Upn(i), null, "Member", AccountEnabled: true, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), [])));

    public static string Upn(int i) => $"burst{i.ToString("D3", CultureInfo.InvariantCulture)}@contoso.com";

    public static string ObjectId(int i) => $"7a7e0000-0000-4000-8000-{i.ToString("D12", CultureInfo.InvariantCulture)}";

    /// <summary>The native list form naming users first .. first+count-1.</summary>
    public static ReadOnlyMemory<byte> ListRequest(int first, int count) => Encoding.UTF8.GetBytes(
        "{\"requests\":[" + string.Join(',', Enumerable.Range(first, count).Select(i => $"{{\"user\":\"{Upn(i)}\",\"reason\":\"burst\"}}")) + "]}");

    /// <summary>Limiter settings that describe a Graph allowing <paramref name="writesPerSecond"/> writes in any one-second window.</summary>
    public static Dictionary<string, string?> WriteLimit(int writesPerSecond) => new()
    {
        ["Graph:RateLimit:WriteLimit"] = writesPerSecond.ToString(CultureInfo.InvariantCulture),
        ["Graph:RateLimit:WriteWindow"] = "00:00:01",
        ["Graph:RateLimit:WriteBurst"] = "1",
    };

    public static async Task<TestEnvironment> StartAsync(int users, Dictionary<string, string?> settings, int? sandboxWriteLimit)
    {
        var env = await TestEnvironment.StartAsync(settings, Tenant(users));
        env.Sandbox.Options.WriteLimitPerSecond = sandboxWriteLimit;
        return env;
    }
}
