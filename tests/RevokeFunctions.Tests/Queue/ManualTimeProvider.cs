namespace RevokeFunctions.Tests.Queue;

/// <summary>A clock the test moves, to deliver a scheduled message "at" its time without waiting for it.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
