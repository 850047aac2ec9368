using System.Globalization;
using System.Text.RegularExpressions;
using Arc.CommandLine;

namespace Arc.Cli;

/// <summary>
/// Tab completion inside a built program's command line: <c>arc train --assembly &lt;dll&gt; --ep&lt;TAB&gt;</c> completes
/// that program's options (<c>--epochs</c>), which only its own generated command tree knows. System.CommandLine's
/// <c>[suggest]</c> directive (what dotnet-suggest runs) is rewritten into the program's own form — the command line
/// without <c>--assembly &lt;dll&gt;</c>, the cursor position moved with it — and answered by that program's tree.
/// </summary>
internal static partial class ProgramSuggestions
{
    // The whole command line as one string (dotnet-suggest's form): a program command, then somewhere --assembly <dll>.
    [GeneratedRegex(@"^\s*(?:train|eval|infer|preview)\s(?:.*?\s)??(?<option>--assembly(?:=|\s+)(?<dll>\S+)\s*)")]
    private static partial Regex AssemblyInLine();

    /// <summary>
    /// Whether <paramref name="args"/> ask for completions (<c>[suggest]</c> or <c>[suggest:N]</c>) of a program command
    /// with <c>--assembly</c>; if so the assembly and the arguments to give that program's command line.
    /// </summary>
    public static bool TryRewrite(string[] args, out string dll, out string[] programArgs)
    {
        dll = "";
        programArgs = [];
        if (args.Length < 2 || !ArcCommandLineApp.IsSuggestDirective(args[0])) return false;
        if (args.Length == 2)
        {
            var match = AssemblyInLine().Match(args[1]);
            if (!match.Success) return false;
            var option = match.Groups["option"];
            dll = match.Groups["dll"].Value;
            string directive = args[0];
            if (directive != "[suggest]"
                && int.TryParse(directive["[suggest:".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int position))
            {
                // The cursor keeps its place in the text: after the removed option it moves back by its length.
                position = position >= option.Index + option.Length ? position - option.Length : Math.Min(position, option.Index);
                directive = string.Create(CultureInfo.InvariantCulture, $"[suggest:{position}]");
            }
            programArgs = [directive, args[1].Remove(option.Index, option.Length)];
            return true;
        }
        // Separate tokens: the command, then --assembly <dll> or --assembly=<dll> among them.
        if (!ProgramCommands.Names.Contains(args[1])) return false;
        var tokens = args[1..].ToList();
        int at = tokens.FindIndex(t => t == "--assembly" || t.StartsWith("--assembly=", StringComparison.Ordinal));
        if (at < 0) return false;
        if (tokens[at] == "--assembly")
        {
            if (at + 1 >= tokens.Count) return false;
            dll = tokens[at + 1];
            tokens.RemoveRange(at, 2);
        }
        else
        {
            dll = tokens[at]["--assembly=".Length..];
            tokens.RemoveAt(at);
        }
        programArgs = [args[0], .. tokens];
        return true;
    }
}
