namespace Arc.Cli;

/// <summary>The exit codes of <c>arc</c> (docs/command-line.md): what a script may branch on.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>It failed: the server refused a value, the config is wrong, the server could not start.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown command or option, a missing argument, a malformed value.</summary>
    public const int Usage = 2;

    /// <summary>The tracking server could not be reached.</summary>
    public const int Unavailable = 3;

    /// <summary>The server refused the token (missing, unknown, or not granted the namespace).</summary>
    public const int AccessDenied = 4;

    /// <summary>What was named does not exist.</summary>
    public const int NotFound = 5;

    /// <summary>The name is taken.</summary>
    public const int AlreadyExists = 6;
}
