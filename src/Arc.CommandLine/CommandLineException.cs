namespace Arc.CommandLine;

/// <summary>A command cannot run as asked (a bad value, a missing folder, a damaged checkpoint); the message says which and what to do. Exit code 2 for usage errors, else 1.</summary>
public sealed class CommandLineException : Exception
{
    /// <summary>An error with <paramref name="message"/> and <paramref name="exitCode"/>.</summary>
    public CommandLineException(string message, int exitCode = 1) : base(message) => ExitCode = exitCode;

    /// <summary>The process exit code the error ends with.</summary>
    public int ExitCode { get; }
}
