using RevokeFunctions.GraphSandbox;

namespace RevokeFunctions.Benchmarks.Harness;

/// <summary>What the sandbox saw, reduced to the benchmark's questions: who was revoked how often, and how fast.</summary>
internal static class SandboxTally
{
    /// <summary>Targets (users 0..count-1) never revoked, and revocations beyond the first for one user.</summary>
    public static (int Lost, int Duplicates) Revocations(GraphSandboxServer sandbox, int count)
    {
        var lost = 0;
        var duplicates = 0;
        for (var user = 0; user < count; user++)
        {
            var revoked = sandbox.RevocationCount(BenchTenant.ObjectId(user));
            if (revoked == 0)
                lost++;
            else
                duplicates += revoked - 1;
        }
        return (lost, duplicates);
    }

    /// <summary>Accepted revocations per second between the first and the last one the sandbox answered 200.</summary>
    public static double SustainedRevocationsPerSecond(GraphSandboxServer sandbox)
    {
        var accepted = sandbox.Requests
            .Where(r => r.Method == "POST" && r.StatusCode == 200 && r.Path.EndsWith("/revokeSignInSessions", StringComparison.OrdinalIgnoreCase))
            .Select(r => r.At)
            .Order()
            .ToArray();
        if (accepted.Length < 2)
            return double.NaN;
        return (accepted.Length - 1) / (accepted[^1] - accepted[0]).TotalSeconds;
    }
}
