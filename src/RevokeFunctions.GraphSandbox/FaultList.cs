namespace RevokeFunctions.GraphSandbox;

/// <summary>Injected faults with how many uses each has left; first match in injection order wins.</summary>
internal sealed class FaultList
{
    private readonly Lock sync = new();
    private readonly List<(SandboxFault Fault, int Remaining)> faults = [];

    public void Add(SandboxFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (fault.PathContains is null)
            throw new ArgumentException("PathContains must not be null; use \"\" to match every path.", nameof(fault));
        // A 1xx-3xx answer cannot carry the Graph error body; 0 means "delay only".
        if (fault.StatusCode != 0 && fault.StatusCode is < 400 or > 599)
            throw new ArgumentOutOfRangeException(nameof(fault), fault.StatusCode, "StatusCode must be 0 (delay only) or 400-599.");
        if (fault.Times <= 0)
            throw new ArgumentOutOfRangeException(nameof(fault), fault.Times, "Times must be positive.");
        if (fault.RetryAfterSeconds < 0)
            throw new ArgumentOutOfRangeException(nameof(fault), fault.RetryAfterSeconds, "RetryAfterSeconds must not be negative.");
        if (fault.Delay < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(fault), fault.Delay, "Delay must not be negative.");

        lock (sync)
            faults.Add((fault, fault.Times));
    }

    public void Clear()
    {
        lock (sync)
            faults.Clear();
    }

    /// <summary>The first fault matching the request, with one of its uses consumed; null when none applies.</summary>
    public SandboxFault? Take(string method, string path)
    {
        lock (sync)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var (fault, remaining) = faults[i];
                if (fault.Method is not null && !string.Equals(fault.Method, method, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (!path.Contains(fault.PathContains, StringComparison.OrdinalIgnoreCase))
                    continue;

                if (remaining == 1)
                    faults.RemoveAt(i);
                else
                    faults[i] = (fault, remaining - 1);
                return fault;
            }

            return null;
        }
    }
}
