using System.Text;
using System.Text.RegularExpressions;

namespace Arc.Generators.Tests.Infrastructure;

/// <summary>The few pieces of Markdown the diagnostics tests read: heading anchors, diagnostic tables and fenced code blocks.</summary>
internal static partial class MarkdownDoc
{
    /// <summary>A fenced code block: its info string (e.g. <c>csharp wrong</c>), its text and the section (## heading) it is in.</summary>
    public sealed record CodeBlock(string Section, string Info, string Text, int Line);

    /// <summary>The anchors GitHub gives the headings: lower case, punctuation other than '-' and '_' dropped, spaces as '-'.</summary>
    public static IReadOnlyList<string> Anchors(string markdown)
        => Lines(markdown)
            .Where(line => line.StartsWith('#'))
            .Select(line => Slug(line.TrimStart('#').Trim()))
            .ToList();

    /// <summary>
    /// Rows of every table whose first cell is an ARC id (optionally a link, e.g. <c>[ARC0001](…)</c>): (id, second cell),
    /// the second cell with its code spans' backticks removed, as a reader sees it.
    /// </summary>
    public static IReadOnlyList<(string Id, string Title)> DiagnosticRows(string markdown)
        => Lines(markdown)
            .Select(line => DiagnosticRow().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["id"].Value, m.Groups["title"].Value.Replace("`", "").Trim()))
            .ToList();

    /// <summary>Every fenced code block, with the last level-2 heading above it.</summary>
    public static IReadOnlyList<CodeBlock> CodeBlocks(string markdown)
    {
        var blocks = new List<CodeBlock>();
        string section = "";
        string? info = null;
        int start = 0;
        var text = new StringBuilder();
        var lines = Lines(markdown);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            if (info is null)
            {
                if (line.StartsWith("## ", StringComparison.Ordinal))
                    section = line[3..].Trim();
                else if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    info = line[3..].Trim();
                    start = i + 1;
                    text.Clear();
                }
            }
            else if (line.StartsWith("```", StringComparison.Ordinal))
            {
                blocks.Add(new CodeBlock(section, info, text.ToString(), start + 1));
                info = null;
            }
            else
                text.Append(line).Append('\n');
        }
        Assert.True(info is null, "an unclosed code block");
        return blocks;
    }

    private static List<string> Lines(string markdown) => markdown.Replace("\r\n", "\n").Split('\n').ToList();

    private static string Slug(string heading)
    {
        var slug = new StringBuilder();
        foreach (char c in heading.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
                slug.Append(c);
            else if (c == ' ')
                slug.Append('-');
        }
        return slug.ToString();
    }

    [GeneratedRegex(@"^\|\s*\[?(?<id>ARC[0-9]{4})\]?(\([^)]*\))?\s*\|\s*(?<title>[^|]+?)\s*\|\s*$")]
    private static partial Regex DiagnosticRow();
}
