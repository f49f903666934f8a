using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RevokeFunctions.Tests.Guards;

/// <summary>Every log entry written through it, formatted, with its level and event ID.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> entries = new();

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, string? Exception);

    public IReadOnlyList<Entry> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Structured values too: a secret passed as a parameter but left out of the template still counts.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception) + " | " + values, exception?.ToString()));
        }
    }
}
