using Microsoft.Extensions.Logging;

namespace Tiered.Cli;

/// <summary>The CLI's diagnostics: "tiered: level: message" lines on stderr, filtered by --log-level.</summary>
internal sealed class StderrLogger(LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel level) => level >= minimum && level != LogLevel.None;

    public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(level)) return;
        Console.Error.WriteLine($"tiered: {level.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
    }
}
