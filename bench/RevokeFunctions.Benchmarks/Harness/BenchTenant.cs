using System.Globalization;
using RevokeFunctions.GraphSandbox;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>
/// A synthetic directory of <c>count</c> members (<c>bench00042@contoso.com</c>, employee ID <c>E000042</c>, object ID
/// derived from the number). Sessions were last revoked in 2020, so every event the benchmark sends is newer and
/// each target needs a real revocation.
/// </summary>
internal static class BenchTenant
{
    private static readonly DateTimeOffset LastRevoked = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SandboxTenant Create(int count) => SandboxTenant.FromUsers(Enumerable.Range(0, count).Select(User));

    public static string UserPrincipalName(int index) => $"bench{index.ToString("D5", CultureInfo.InvariantCulture)}@contoso.com";

    public static string EmployeeId(int index) => "E" + index.ToString("D6", CultureInfo.InvariantCulture);

    public static string ObjectId(int index) => $"00000000-0000-4000-8000-{index.ToString("D12", CultureInfo.InvariantCulture)}";

    private static SandboxUser User(int index) => new(
        ObjectId(index),
        UserPrincipalName(index),
        UserPrincipalName(index),
        EmployeeId(index),
        "Member",
        AccountEnabled: true,
        LastRevoked,
        []);
}
