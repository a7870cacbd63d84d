using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Frontlijn.IntegrationTests.Infrastructure;

/// <summary>
/// Every log entry the app writes (after the configured level filters), kept in memory so a test can assert what an
/// operator would have seen: for example that a fault produced no 500 and no error.
/// </summary>
public sealed class CollectedLogs : ILoggerProvider
{
    public sealed record Entry(DateTimeOffset At, string Category, LogLevel Level, string Message, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Entries at <paramref name="level"/> or above, written after <paramref name="since"/>.</summary>
    public IReadOnlyList<Entry> AtLeast(LogLevel level, DateTimeOffset since) =>
        _entries.Where(e => e.Level >= level && e.At >= since).ToList();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(CollectedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs._entries.Enqueue(new Entry(DateTimeOffset.UtcNow, category, logLevel, formatter(state, exception), exception));
    }
}
