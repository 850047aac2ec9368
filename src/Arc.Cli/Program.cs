namespace Arc.Cli;

/// <summary>The <c>arc</c> tool's entry point: every command is built in <see cref="ArcCommandLine"/>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => ArcCommandLine.RunAsync(args);
}
