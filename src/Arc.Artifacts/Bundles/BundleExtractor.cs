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
    public static Task ExtractAsync(Stream tar, string directory, string source, CancellationToken cancellationToken)
        => ExtractAsync(tar, directory, source, allowLinks: true, "bundle", cancellationToken);

    /// <summary>
    /// Extracts <paramref name="tar"/> into <paramref name="directory"/>; with <paramref name="allowLinks"/> false every
    /// symbolic link is refused too (a model archive has none). <paramref name="kind"/> names the archive in refusals.
    /// </summary>
    public static async Task ExtractAsync(Stream tar, string directory, string source, bool allowLinks, string kind, CancellationToken cancellationToken)
    {
        string root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var reader = new TarReader(tar, leaveOpen: true);
        await using var readerDisposal = reader.ConfigureAwait(false);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            // `tar -C folder .` names entries "./x" and adds "./" itself: the same paths, and the root that exists already.
            string name = entry.Name;
            while (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            if (name is "" or "." && entry.EntryType == TarEntryType.Directory && entry.Name.Length > 0) continue;
            string target = TargetPath(root, name, source, kind);
            switch (entry.EntryType)
            {
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    if (File.Exists(target) || Directory.Exists(target))
                        throw Refuse(source, entry.Name, $"the path appears twice in the {kind}", kind);
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
                case TarEntryType.SymbolicLink when !allowLinks:
                    throw Refuse(source, entry.Name, $"it is a symbolic link (to '{entry.LinkName}'); a {kind} holds regular files and directories only", kind);
                case TarEntryType.SymbolicLink:
                    CheckLinkTarget(entry.LinkName, source, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    throw Refuse(source, entry.Name, $"it is a hard link (to '{entry.LinkName}'); a {kind} holds regular files only", kind);
                default:
                    throw Refuse(source, entry.Name, $"its type {entry.EntryType} is not allowed in a {kind} (regular files, directories{(allowLinks ? " and inner symbolic links" : "")} only)", kind);
            }
        }
    }

    /// <summary>The full path an entry name maps to, refusing names that could leave <paramref name="root"/>.</summary>
    internal static string TargetPath(string root, string name, string source, string kind = "bundle")
    {
        if (string.IsNullOrEmpty(name)) throw Refuse(source, name, "the entry has no name", kind);
        if (name.Contains('\\') || name.Contains('\0')) throw Refuse(source, name, "the name contains a backslash or NUL", kind);
        if (name.StartsWith('/') || Path.IsPathRooted(name)) throw Refuse(source, name, "the path is absolute", kind);
        var segments = name.TrimEnd('/').Split('/');
        if (segments.Any(s => s == "..")) throw Refuse(source, name, "the path contains '..'", kind);
        if (segments.Any(s => s.Length == 0)) throw Refuse(source, name, "the path has an empty segment", kind);
        string full = Path.GetFullPath(Path.Combine(root, name.TrimEnd('/')));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Refuse(source, name, $"the path leaves the {kind} directory", kind);
        // A symbolic link extracted earlier must not redirect this entry: every parent must be a real directory.
        for (string? parent = Path.GetDirectoryName(full); parent is not null && parent.Length > root.Length; parent = Path.GetDirectoryName(parent))
            if (new DirectoryInfo(parent) is { Exists: true, LinkTarget: not null })
                throw Refuse(source, name, "a parent directory of the path is a symbolic link", kind);
        return full;
    }

    private static void CheckLinkTarget(string linkName, string source, string name)
    {
        if (string.IsNullOrEmpty(linkName) || linkName.StartsWith('/') || Path.IsPathRooted(linkName) || linkName.Contains('\\')
            || linkName.Split('/').Any(s => s == ".."))
            throw Refuse(source, name, $"it is a symbolic link to '{linkName}', which points outside the bundle (links may only point down, without '..')");
    }

    private static ArtifactFormatException Refuse(string source, string name, string why, string kind = "bundle")
        => new(source, $"{kind} entry '{name}' is refused: {why}");
}
