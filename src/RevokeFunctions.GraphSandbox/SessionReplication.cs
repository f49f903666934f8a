using System.Collections.Concurrent;

namespace RevokeFunctions.GraphSandbox;

/// <summary>
/// Graph's replication lag for <c>signInSessionsValidFromDateTime</c>, as <see cref="GraphSandboxOptions"/> asks: a
/// revocation answered 200 may show in reads only after a while (<see cref="GraphSandboxOptions.SessionsValidFromLag"/>),
/// only after some reads (<see cref="GraphSandboxOptions.SessionsValidFromStaleReads"/>), or never
/// (<see cref="GraphSandboxOptions.SessionsValidFromFrozen"/>, the "value: true whatever happened" known issue).
/// </summary>
internal sealed class SessionReplication(SandboxTenant tenant, GraphSandboxOptions options)
{
    private readonly ConcurrentDictionary<string, Pending> pending = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A revocation answered now: applied at once, later, or never.</summary>
    public void Revoked(string userId, DateTimeOffset at)
    {
        if (options.SessionsValidFromFrozen)
            return;
        if (options.SessionsValidFromLag <= TimeSpan.Zero && options.SessionsValidFromStaleReads <= 0)
        {
            pending.TryRemove(userId, out _);
            tenant.SetSignInSessionsValidFrom(userId, at);
            return;
        }
        pending[userId] = new Pending(at, options.SessionsValidFromStaleReads);
    }

    /// <summary>A read of the user is about to be answered: a pending revocation shows from now on once it is due.</summary>
    public void Reading(string userId)
    {
        while (pending.TryGetValue(userId, out var due))
        {
            if (due.ReadsLeft > 0)
            {
                if (pending.TryUpdate(userId, due with { ReadsLeft = due.ReadsLeft - 1 }, due))
                    return;
                continue;
            }
            // The lag as the options say now, so a test may shorten it for a revocation already made.
            if (due.Value + options.SessionsValidFromLag > DateTimeOffset.UtcNow)
                return;
            if (pending.TryRemove(KeyValuePair.Create(userId, due)))
                tenant.SetSignInSessionsValidFrom(userId, due.Value);
            return;
        }
    }

    private sealed record Pending(DateTimeOffset Value, int ReadsLeft);
}
