using Azure;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.Graph;

/// <summary>
/// This instance's part of the app's Graph budget: <see cref="Members"/> instances share the write schedule, this one is
/// <see cref="Index"/> on it; the resource units are shared by those and <see cref="Readers"/> more.
/// </summary>
/// <param name="Members">The instances writing (this one included when the share is for a write).</param>
/// <param name="Factor">Below 1 for a while after Graph answered 429: someone else is spending the same quota.</param>
/// <param name="Readers">Live instances that only read: they take a part of the resource units, none of the writes.</param>
public readonly record struct GraphBudgetShare(int Members, int Index, double Factor, bool IsFallback, int Readers = 0)
{
    /// <summary>The instances sharing the resource units.</summary>
    public int UnitMembers => Members + Readers;
}

/// <summary>
/// Which share of the app's Graph budget this instance may spend. Busy instances check in to a
/// <see cref="GraphBudgetRoster"/> every <see cref="GraphBudgetOptions.RefreshInterval"/>, saying whether they are
/// writing (wrote, or have writes waiting, within three intervals). The k writing ones each take 1/k of the writes, and
/// <see cref="GraphCallPacer"/> interleaves them on one schedule; all n live ones, readers included, each take 1/n of the
/// resource units. An instance that only reads (verifying revocations, say) so never takes a part of the writes. An idle
/// instance stops checking in and drops out after three intervals, so the busy ones get its part.
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
    private long wroteAt = DateTimeOffset.MinValue.UtcTicks;
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

    /// <summary>The share for a write (see <see cref="ShareAsync(bool, CancellationToken)"/>).</summary>
    public ValueTask<GraphBudgetShare> ShareAsync(CancellationToken cancellationToken) => ShareAsync(writing: true, cancellationToken);

    /// <summary>
    /// The share to spend now, for a write (<paramref name="writing"/>) or a call without writes. Waits for the roster the
    /// first time and after an idle spell (a view older than three intervals says nothing about who is busy now), and for
    /// a write when this instance is on the roster as a reader: it checks in as a writer first, and being new on the
    /// write schedule spends no more than a joining instance does. Otherwise refreshes it in the background when due.
    /// </summary>
    public virtual async ValueTask<GraphBudgetShare> ShareAsync(bool writing, CancellationToken cancellationToken)
    {
        if (roster is null)
            return new GraphBudgetShare(1, 0, Factor(), IsFallback: false);
        var now = time.GetUtcNow();
        if (writing)
            Wrote(now);
        var current = view;
        // A look already under way may have started before this write: it checks in as a reader, and the next as a writer.
        while (current is null || now - current.At >= options.RefreshInterval * 3 || (writing && !current.Writing))
        {
            await Refresh().WaitAsync(cancellationToken);
            current = view!;
        }
        if (now >= current.DueAt)
            _ = Refresh();
        return new GraphBudgetShare(current.Members, current.Index, Factor(), current.IsFallback, current.Readers);
    }

    /// <summary>
    /// Completes when this instance's write share is no longer <paramref name="seen"/> (another count of writing
    /// instances, another place among them, the fallback engaged or ended), looking at the roster again whenever a look
    /// is due, as a writer: the write waiting counts as writing. The readers' count does not matter here. A write
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
        while (view is { Writing: true } current && (current.Members, current.Index, current.IsFallback) == (seen.Members, seen.Index, seen.IsFallback))
        {
            Wrote(time.GetUtcNow());
            var due = current.DueAt - time.GetUtcNow();
            if (due > TimeSpan.Zero)
                await Task.Delay(due, time, cancellationToken);
            // Every look moves DueAt on by a fifth of an interval at least, answered or not, so this loop waits between looks.
            await Refresh().WaitAsync(cancellationToken);
        }
    }

    /// <summary>Checks in now as a writer and re-reads the roster (the first write's <see cref="ShareAsync(bool, CancellationToken)"/> does this too).</summary>
    public Task CheckInAsync(CancellationToken cancellationToken) => CheckInAsync(writing: true, cancellationToken);

    /// <summary>Checks in now, as a writer when <paramref name="writing"/> (else as what recent calls say), and re-reads the roster.</summary>
    public virtual Task CheckInAsync(bool writing, CancellationToken cancellationToken)
    {
        if (roster is null)
            return Task.CompletedTask;
        if (writing)
            Wrote(time.GetUtcNow());
        return Refresh().WaitAsync(cancellationToken);
    }

    /// <summary>Graph answered 429: spend less for a while. Called once per pause, not per refused call.</summary>
    public virtual void Throttled()
    {
        lock (sync)
        {
            cutFactor = Math.Max(MinimumFactor, Factor() * CutFactor);
            cutAt = time.GetUtcNow();
        }
    }

    private void Wrote(DateTimeOffset now) => Interlocked.Exchange(ref wroteAt, now.UtcTicks);

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
        var live = options.RefreshInterval * 3;
        var writing = now.UtcTicks - Interlocked.Read(ref wroteAt) < live.Ticks;
        try
        {
            var members = await roster!.CheckInAsync(instance, writing, now, now - live, CancellationToken.None);
            var writers = members.Where(m => m.Writing).Select(m => m.Instance).ToList();
            var index = writing ? Math.Max(0, writers.IndexOf(instance)) : 0;
            // The view's age counts from the answer, so a slow store does not make every caller wait for the next check-in.
            var answered = time.GetUtcNow();
            // Joining the roster, or its write schedule, this one spends no more than the fallback share of what it joined
            // and looks again soon: instances starting together each saw only those ahead of them. On the write schedule
            // it stays there until every other writer has checked in since it joined (and so counts it): until then a
            // writer may still be spending the share it had without this one.
            var joined = view is null || view.IsFallback || now - view.At >= live;
            var joinedWriters = writing && (joined || !view!.Writing);
            var writingSince = joinedWriters ? answered : writing ? view!.WritingSince : default;
            var provisional = joinedWriters
                || (writing && members.Any(m => m.Writing && m.Instance != instance && m.LastSeen < writingSince));
            if (writing && !provisional && view!.Members != writers.Count)
                LogShare(logger, writers.Count, members.Count, index);
            var writeMembers = provisional ? Math.Max(writers.Count, options.FallbackInstances) : writers.Count;
            var unitMembers = Math.Max(writeMembers, joined ? Math.Max(members.Count, options.FallbackInstances) : members.Count - writers.Count + writeMembers);
            var due = answered + (joined || provisional ? options.RefreshInterval / 5 : options.RefreshInterval);
            view = new View(answered, due, writeMembers, index, unitMembers - writeMembers, writing, writingSince, IsFallback: false);
        }
        catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or AggregateException or InvalidOperationException)
        {
            if (view is not { IsFallback: true })
                LogFallback(logger, options.FallbackInstances, Describe(ex));
            view = new View(now, now + options.RefreshInterval, options.FallbackInstances, fallbackIndex, Readers: 0, Writing: true, WritingSince: default, IsFallback: true);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        RequestFailedException { Status: > 0 } failed => $"{failed.Status} {failed.ErrorCode}".TrimEnd(),
        OperationCanceledException => "no answer in time",
        _ => ex.GetType().Name,
    };

    /// <param name="Writing">Checked in as a writer: <see cref="Members"/> and <see cref="Index"/> place this instance on the
    /// write schedule. The fallback holds for writes too.</param>
    /// <param name="WritingSince">When the check-in that put it on the write schedule was answered.</param>
    private sealed record View(DateTimeOffset At, DateTimeOffset DueAt, int Members, int Index, int Readers, bool Writing, DateTimeOffset WritingSince, bool IsFallback);

    [LoggerMessage(EventId = 64, Level = LogLevel.Information,
        Message = "{Writers} writing instance(s) now share the Graph write budget, {Members} in all its resource units; this one is writer number {Index}")]
    private static partial void LogShare(ILogger logger, int writers, int members, int index);

    [LoggerMessage(EventId = 65, Level = LogLevel.Warning,
        Message = "The Graph budget roster cannot be read ({Problem}); this instance spends 1/{FallbackInstances} of the budget (Graph:RateLimit:Shared:FallbackInstances) until it can")]
    private static partial void LogFallback(ILogger logger, int fallbackInstances, string problem);
}
