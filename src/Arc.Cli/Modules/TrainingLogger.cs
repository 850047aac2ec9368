using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Arc.Cli;

/// <summary>
/// The logger <c>arc train</c> hands a training module (seed 004's <c>logger</c>): every message to the run's log file
/// (named by the manifest's <c>logNamingFormat</c>), information and above to standard error too.
/// </summary>
internal sealed class TrainingLogger : ILogger, IDisposable
{
    private readonly StreamWriter _file;
    private readonly TextWriter _console;

    public TrainingLogger(string path, TextWriter console)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // Append: a second run in the same second (the default format has seconds) adds to the file rather than erasing it.
        _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        _console = console;
    }

    public string Path { get; }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        string message = formatter(state, exception) + (exception is null ? "" : Environment.NewLine + exception);
        string line = $"{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} {Level(logLevel)} {message}";
        lock (_file)
        {
            _file.WriteLine(line);
            if (logLevel >= LogLevel.Information) _console.WriteLine(message);
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "critical",
    };

    public void Dispose() => _file.Dispose();
}
