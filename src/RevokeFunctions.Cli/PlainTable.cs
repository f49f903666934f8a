namespace RevokeFunctions.Cli;

/// <summary>
/// The tables people read: one row per line, columns padded to their widest cell and two spaces apart, the last (long)
/// column unpadded, nothing wrapped or cut to a terminal's width, so a row can still be found with grep and its first
/// column read with awk. Cells are plain text; callers clean what came from a message (<see cref="TerminalText"/>).
/// </summary>
internal static class PlainTable
{
    public static async Task WriteAsync(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, TextWriter output)
    {
        var last = header.Count - 1;
        var widths = Enumerable.Range(0, last).Select(c => rows.Select(r => r[c].Length).Prepend(header[c].Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            (string.Join("  ", cells.Take(last).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + cells[last]).TrimEnd();
        await output.WriteLineAsync(Line(header));
        foreach (var row in rows)
            await output.WriteLineAsync(Line(row));
    }
}
