namespace Arc.Cli;

/// <summary>A failure that <c>arc</c> reports as one line on standard error and ends with <see cref="ExitCode"/>.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
