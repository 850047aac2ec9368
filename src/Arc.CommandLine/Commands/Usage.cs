using System.CommandLine;

namespace Arc.CommandLine;

/// <summary>The one-line usage of a command, for error output (the full help is <c>--help</c>).</summary>
internal static class Usage
{
    public static string ProgramName => Path.GetFileNameWithoutExtension(Environment.GetCommandLineArgs()[0]);

    public static string Of(Command command)
    {
        if (command is RootCommand)
            return $"usage: {ProgramName} <{string.Join('|', command.Subcommands.Select(c => c.Name))}> [options]";
        string required = command.Name switch
        {
            "train" => "--model <name> [--job <name>]",
            "eval" => "--model <name|run folder|checkpoint> [--job <name>]",
            "infer" => "--model <name|run folder|checkpoint> --input <files or folder>",
            "preview" => "[--job <name>]",
            _ => "",
        };
        return $"usage: {ProgramName} {command.Name} {required} [options]".Replace("  ", " ", StringComparison.Ordinal);
    }
}
