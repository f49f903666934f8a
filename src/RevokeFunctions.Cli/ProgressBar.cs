using System.Globalization;
using RevokeFunctions.Operations;

namespace RevokeFunctions.Cli;

/// <summary>
/// A one-line progress bar redrawn in place on a terminal's standard error, for resubmissions of many letters. Redraws
/// at most every 100 ms and always at the end, then clears itself so the results start on a clean line.
/// </summary>
internal sealed class ProgressBar(TextWriter terminal, TimeProvider time) : IProgress<ResubmitProgress>
{
    private const int Width = 30;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly Lock gate = new();
    private DateTimeOffset lastDrawn = DateTimeOffset.MinValue;
    private int lastLength;

    public void Report(ResubmitProgress value)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var finished = value.Done >= value.Total;
            if (!finished && now - lastDrawn < Interval)
                return;
            lastDrawn = now;
            if (finished)
            {
                terminal.Write("\r" + new string(' ', lastLength) + "\r");
                terminal.Flush();
                return;
            }
            var line = Render(value);
            terminal.Write("\r" + line);
            terminal.Flush();
            lastLength = line.Length;
        }
    }

    public static string Render(ResubmitProgress value)
    {
        var total = Math.Max(value.Total, 1);
        var filled = (int)Math.Round(Width * Math.Clamp(value.Done, 0, total) / (double)total);
        return string.Create(CultureInfo.InvariantCulture,
            $"resubmitting [{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total}");
    }
}
