using System.Text;

namespace Arc.Samples.Language;

/// <summary>
/// Fortune cookies from Debian's fortunes packages, labelled by language: files of entries separated by lines that
/// hold only <c>%</c> (strfile's format), UTF-8.
/// </summary>
internal static class FortuneCookies
{
    /// <summary>Where Debian installs them; <c>ARC_FORTUNES_DIR</c> overrides it.</summary>
    public static string DefaultFolder => Environment.GetEnvironmentVariable("ARC_FORTUNES_DIR") is { Length: > 0 } dir ? dir : "/usr/share/games/fortunes";

    /// <summary>The languages and the package that brings each (the class names, in ordinal order).</summary>
    public static readonly IReadOnlyList<(string Language, string Package)> Languages =
    [
        ("br", "fortunes-br"), ("de", "fortunes-de"), ("en", "fortunes-min"), ("eo", "fortunes-eo"), ("es", "fortunes-es"), ("it", "fortunes-it"),
    ];

    /// <summary>Longer entries (stories, poems) are left out: a cookie fits on a few lines, and a text column is as wide as its longest entry.</summary>
    public const int MaxLength = 300;

    /// <summary>Files that are pictures made of characters, not language.</summary>
    private static readonly HashSet<string> Art = new(StringComparer.Ordinal) { "asciiart", "banner" };

    /// <summary>
    /// Up to <paramref name="perLanguage"/> cookies of each language, chosen at random with <paramref name="seed"/>
    /// from all of that language's files, in a shuffled order.
    /// </summary>
    /// <exception cref="FileNotFoundException">A language's files are missing; the message names the package.</exception>
    public static List<(string Text, string Language)> Load(string folder, int perLanguage, int seed)
    {
        var all = new List<(string, string)>();
        var random = new Random(seed);
        foreach (var (language, package) in Languages)
        {
            var files = FilesOf(folder, language);
            if (files.Count == 0)
                throw new FileNotFoundException($"no {language} fortune cookies under {folder}: install Debian's {package} (scripts/install-prereqs.sh does)");
            var cookies = files.SelectMany(Read).Where(c => c.Length <= MaxLength).Distinct(StringComparer.Ordinal).ToList();
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cookies));
            all.AddRange(cookies.Take(perLanguage).Select(c => (c, language)));
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
        return all;
    }

    /// <summary>The entries of one file: the text between <c>%</c> lines, trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Read(string path)
    {
        var entry = new StringBuilder();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            if (line.TrimEnd() == "%")
            {
                if (entry.ToString().Trim() is { Length: > 0 } text) yield return text;
                entry.Clear();
            }
            else entry.AppendLine(line);
        }
        if (entry.ToString().Trim() is { Length: > 0 } last) yield return last;
    }

    /// <summary>
    /// A language's files: de, it, es, eo have folders of their own (without strfile's <c>.dat</c> indexes and the
    /// <c>.u8</c> links); Brazilian Portuguese is the file <c>brasil</c>; English is fortunes-min's files at the top.
    /// </summary>
    private static List<string> FilesOf(string folder, string language)
    {
        IEnumerable<string> candidates = language switch
        {
            "br" => new[] { Path.Combine(folder, "brasil") },
            "en" => new[] { "fortunes", "literature", "riddles" }.Select(f => Path.Combine(folder, f)),
            _ => Directory.Exists(Path.Combine(folder, language)) ? Directory.GetFiles(Path.Combine(folder, language)) : Array.Empty<string>(),
        };
        return candidates
            .Where(f => File.Exists(f) && !f.EndsWith(".dat", StringComparison.Ordinal) && !f.EndsWith(".u8", StringComparison.Ordinal)
                        && !Art.Contains(Path.GetFileName(f)) && !new FileInfo(f).Attributes.HasFlag(FileAttributes.ReparsePoint))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
