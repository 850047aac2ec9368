using System.Formats.Tar;

namespace Arc.Artifacts;

/// <summary>
/// Extracts a bundle tar into a directory, refusing anything that could write elsewhere or create special files:
/// absolute paths, <c>..</c> segments, backslashes, hard links, device files, FIFOs, and symbolic links whose target is
/// absolute or climbs (<c>..</c>). A file that already exists (e.g. the same path in two layers) is refused too.
/// Refusals are <see cref="ArtifactFormatException"/>s naming the entry; what was extracted before stays in the
/// directory, which the caller deletes. Each file's data is flushed to disk as it is written, for the caller's durable
/// rename of the finished directory.
/// </summary>
internal static class BundleExtractor
{
    public static async Task ExtractAsync(Stream tar, string directory, string source, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var reader = new TarReader(tar, leaveOpen: true);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            string target = TargetPath(root, entry.Name, source);
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    if (File.Exists(target) || Directory.Exists(target))
                        throw Refuse(source, entry.Name, "the path appears twice in the bundle");
                    var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                    await using (file.ConfigureAwait(false))
                    {
                        if (entry.DataStream is { } data) await data.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                        // On disk before the bundle's folder is renamed into the cache (DurableFile.PublishDirectory).
                        file.Flush(flushToDisk: true);
                    }
                    break;
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.SymbolicLink:
                    CheckLinkTarget(entry.LinkName, source, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    throw Refuse(source, entry.Name, $"it is a hard link (to '{entry.LinkName}'); bundles hold regular files only");
                default:
                    throw Refuse(source, entry.Name, $"its type {entry.EntryType} is not allowed in a bundle (regular files, directories and inner symbolic links only)");
            }
        }
    }

    /// <summary>The full path an entry name maps to, refusing names that could leave <paramref name="root"/>.</summary>
    internal static string TargetPath(string root, string name, string source)
    {
        if (string.IsNullOrEmpty(name)) throw Refuse(source, name, "the entry has no name");
        if (name.Contains('\\') || name.Contains('\0')) throw Refuse(source, name, "the name contains a backslash or NUL");
        if (name.StartsWith('/') || Path.IsPathRooted(name)) throw Refuse(source, name, "the path is absolute");
        var segments = name.TrimEnd('/').Split('/');
        if (segments.Any(s => s == "..")) throw Refuse(source, name, "the path contains '..'");
        if (segments.Any(s => s.Length == 0)) throw Refuse(source, name, "the path has an empty segment");
        string full = Path.GetFullPath(Path.Combine(root, name.TrimEnd('/')));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Refuse(source, name, "the path leaves the bundle directory");
        // A symbolic link extracted earlier must not redirect this entry: every parent must be a real directory.
        for (string? parent = Path.GetDirectoryName(full); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
            if (new DirectoryInfo(parent) is { Exists: true, LinkTarget: not null })
                throw Refuse(source, name, "a parent directory of the path is a symbolic link");
        return full;
    }

    private static void CheckLinkTarget(string linkName, string source, string name)
    {
        if (string.IsNullOrEmpty(linkName) || linkName.StartsWith('/') || Path.IsPathRooted(linkName) || linkName.Contains('\\')
            || linkName.Split('/').Any(s => s == ".."))
            throw Refuse(source, name, $"it is a symbolic link to '{linkName}', which points outside the bundle (links may only point down, without '..')");
    }

    private static ArtifactFormatException Refuse(string source, string name, string why)
        => new(source, $"bundle entry '{name}' is refused: {why}");
}
