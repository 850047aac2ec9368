using System.Text.RegularExpressions;

namespace Arc.Sdk.Tests.Support;

/// <summary>
/// The repository this test assembly was built from (found from the assembly's folder upwards), and the code blocks of
/// its Markdown documents: tests that run what README.md and docs/ show read it from there, so the documents stay true.
/// </summary>
internal static partial class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Arc.Sdk.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no Arc.Sdk.sln above {AppContext.BaseDirectory}");
    });

    /// <summary>The repository's root folder.</summary>
    public static string Root => RootPath.Value;

    /// <summary>
    /// The fenced code blocks of the section of <paramref name="document"/> (a path from the root) whose heading is
    /// <paramref name="heading"/> (up to the next heading of the same or a higher level), in order: their info string
    /// (<c>csharp</c>, <c>xml</c>, <c>text</c>) and text.
    /// </summary>
    public static IReadOnlyList<(string Language, string Code)> CodeBlocks(string document, string heading)
    {
        string text = File.ReadAllText(Path.Combine(Root, document)).ReplaceLineEndings("\n");
        var start = Regex.Match(text, $"^(#+) {Regex.Escape(heading)}\n", RegexOptions.Multiline);
        if (!start.Success) throw new InvalidOperationException($"{document} has no heading '{heading}'");
        int level = start.Groups[1].Length;
        var next = Regex.Match(text[(start.Index + start.Length)..], $"^#{{1,{level}}} ", RegexOptions.Multiline);
        string section = next.Success ? text.Substring(start.Index + start.Length, next.Index) : text[(start.Index + start.Length)..];
        return Fence().Matches(section).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
    }

    [GeneratedRegex("^```(\\w*)\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
