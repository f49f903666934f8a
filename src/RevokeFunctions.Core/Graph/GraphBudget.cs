using Azure;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.Graph;

/// <summary>This instance's part of the app's Graph budget: <see cref="Members"/> instances share it, this one is <see cref="Index"/>.</summary>
/// <param name="Factor">Below 1 for a while after Graph answered 429: someone else is spending the same quota.</param>
public readonly record struct GraphBudgetShare(int Members, int Index, double Factor, bool IsFallback);

/// <summary>
/// Which share of the app's Graph budget this instance may spend. Busy instances check in to a
/// <see cref="GraphBudgetRoster"/> every <see cref="GraphBudgetOptions.RefreshInterval"/>; k of them splitting the
/// budget each take 1/k, and <see cref="GraphCallPacer"/> interleaves their writes on one schedule. An idle instance
/// stops checking in and drops out after three intervals, so the busy ones get its part.
/// <para>Safe when the roster cannot be read: the share is then 1/<see cref="GraphBudgetOptions.FallbackInstances"/>,
/// a conservative local rate, never the whole budget. A 429 from Graph (another tool on the same app registration, the
/// tenant-wide write limit) also cuts the share for a while; it grows back by a quarter per interval.</para>
/// </summary>
public partial class GraphBudget
{
    private const double CutFactor = 0.75;
    private const double MinimumFactor = 0.25;
    private const double RecoveryPerInterval = 0.25;

    private readonly GraphBudgetRoster? roster;
    private readonly GraphBudgetOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly string instance = Guid.NewGuid().ToString("N");
    private readonly int fallbackIndex;
    private readonly Lock sync = new();
    private View? view;
    private Task? refreshing;
    private double cutFactor = 1;
    private DateTimeOffset cutAt;

    /// <param name="roster">Null: no shared state (no ledger configured, or sharing off): this instance takes the whole budget.</param>
    public GraphBudget(GraphBudgetRoster? roster, GraphBudgetOptions options, TimeProvider time, ILogger<GraphBudget> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.roster = options.Enabled ? roster : null;
        this.options = options;
        this.time = time;
        this.logger = logger;
        fallbackIndex = Random.Shared.Next(options.FallbackInstances);
    }

    /// <summary>True when instances share the budget through the roster.</summary>
    public bool IsShared => roster is not null;

    /// <summary>
    /// The share to spend now. Waits for the roster the first time and after an idle spell (a view older than three
    /// intervals says nothing about who is busy now); otherwise refreshes it in the background when due.
    /// </summary>
    public virtual async ValueTask<GraphBudgetShare> ShareAsync(CancellationToken cancellationToken)
    {
        if (roster is null)
            return new GraphBudgetShare(1, 0, Factor(), IsFallback: false);
        var now = time.GetUtcNow();
        var current = view;
        if (current is null || now - current.At >= options.RefreshInterval * 3)
            await Refresh().WaitAsync(cancellationToken);
        else if (now >= current.DueAt)
            _ = Refresh();
        current = view!;
        return new GraphBudgetShare(current.Members, current.Index, Factor(), current.IsFallback);
    }

    /// <summary>
    /// Completes when this instance's share is no longer <paramref name="seen"/> (another count of instances, another
    /// place among them, the fallback engaged or ended), looking at the roster again whenever a look is due. A write
    /// waiting for its slot at one share listens to this, so a slot planned at a provisional or fallback share is not kept
    /// after the share grew. Without a roster the share never changes and this never completes.
    /// </summary>
    public virtual async Task ChangedAsync(GraphBudgetShare seen, CancellationToken cancellationToken)
    {
        if (roster is null)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
            return;
        }
        while (view is { } current && (current.Members, current.Index, current.IsFallback) == (seen.Members, seen.Index, seen.IsFallback))
        {
            var due = current.DueAt - time.GetUtcNow();
            if (due > TimeSpan.Zero)
                await Task.Delay(due, time, cancellationToken);
            // Every look moves DueAt on by a fifth of an interval at least, answered or not, so this loop waits between looks.
            await Refresh().WaitAsync(cancellationToken);
        }
    }

    /// <summary>Checks in now and re-reads the roster (the first call of <see cref="ShareAsync"/> does this too).</summary>
    public virtual Task CheckInAsync(CancellationToken cancellationToken) => roster is null ? Task.CompletedTask : Refresh().WaitAsync(cancellationToken);

    /// <summary>Graph answered 429: spend less for a while. Called once per pause, not per refused call.</summary>
    public virtual void Throttled()
    {
        lock (sync)
        {
            cutFactor = Math.Max(MinimumFactor, Factor() * CutFactor);
            cutAt = time.GetUtcNow();
        }
    }

    private double Factor()
    {
        lock (sync)
        {
            if (cutFactor >= 1)
                return 1;
            var intervals = (time.GetUtcNow() - cutAt) / options.RefreshInterval;
            var factor = Math.Min(1, cutFactor + RecoveryPerInterval * intervals);
            if (factor >= 1)
                cutFactor = 1;
            return factor;
        }
    }

    // One check-in at a time; every caller that needs it waits for the same one.
    private Task Refresh()
    {
        lock (sync)
        {
            if (refreshing is { IsCompleted: false } running)
                return running;
            refreshing = RefreshAsync();
            return refreshing;
        }
    }

    private async Task RefreshAsync()
    {
        var now = time.GetUtcNow();
        try
        {
            var members = await roster!.CheckInAsync(instance, now, now - options.RefreshInterval * 3, CancellationToken.None);
            var index = Math.Max(0, IndexOf(members, instance));
            var joined = view is null || view.IsFallback || now - view.At >= options.RefreshInterval * 3;
            if (!joined && view!.Members != members.Count)
                LogShare(logger, members.Count, index);
            // Just joined: instances starting together each saw only those ahead of them, so until it looks again (soon)
            // this one spends no more than the fallback share. The view's age counts from the answer, so a slow store
            // does not make every caller wait for the next check-in.
            var answered = time.GetUtcNow();
            view = joined
                ? new View(answered, answered + options.RefreshInterval / 5, Math.Max(members.Count, options.FallbackInstances), index, IsFallback: false)
                : new View(answered, answered + options.RefreshInterval, members.Count, index, IsFallback: false);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or AggregateException or InvalidOperationException)
        {
            if (view is not { IsFallback: true })
                LogFallback(logger, options.FallbackInstances, Describe(ex));
            view = new View(now, now + options.RefreshInterval, options.FallbackInstances, fallbackIndex, IsFallback: true);
        }
    }

    private static int IndexOf(IReadOnlyList<string> members, string instance)
    {
        for (var i = 0; i < members.Count; i++)
        {
            if (string.Equals(members[i], instance, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    private static string Describe(Exception ex) => ex switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}".TrimEnd(),
        OperationCanceledException => "no answer in time",
        _ => ex.GetType().Name,
    };

    private sealed record View(DateTimeOffset At, DateTimeOffset DueAt, int Members, int Index, bool IsFallback);

    [LoggerMessage(EventId = 64, Level = LogLevel.Information,
        Message = "{Members} instance(s) now share the Graph budget; this one is number {Index}")]
    private static partial void LogShare(ILogger logger, int members, int index);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning,
        Message = "The Graph budget roster cannot be read ({Problem}); this instance spends 1/{FallbackInstances} of the budget (Graph:RateLimit:Shared:FallbackInstances) until it can")]
    private static partial void LogFallback(ILogger logger, int fallbackInstances, string problem);
}
