using Arc.Sdk;
namespace Arc.Worker;

/// <summary>
/// Lays out one version of the user's build output from the blob store: each manifest path is checked first (relative,
/// '/'-separated, no <c>.</c> or <c>..</c> segment, no drive or root, and still inside the target folder once resolved),
/// then every file is copied in. Copies, not links, so nothing the user code does to its folder reaches the store.
/// </summary>
internal static class BuildFolderLayout
{
    /// <summary>Checks every path and digest of <paramref name="files"/> before anything is written.</summary>
    /// <exception cref="DevelopRequestException">A path is unsafe or a digest is not in <paramref name="store"/>.</exception>
    public static IReadOnlyList<(string Target, string Source)> Plan(string directory, IReadOnlyDictionary<string, string> files, BlobStore store)
    {
        var plan = new List<(string, string)>(files.Count);
        foreach (var (path, digest) in files)
        {
            string target = Resolve(directory, path);
            if (!store.Contains(digest))
                throw new DevelopRequestException($"the file '{path}' names blob {digest}, which the worker does not hold: upload it first (PutBlob)");
            plan.Add((target, store.PathOf(digest)));
        }
        return plan;
    }

    /// <summary>Copies the planned files into place.</summary>
    public static void Materialize(IReadOnlyList<(string Target, string Source)> plan)
    {
        foreach (var (target, source) in plan)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target, overwrite: false);
        }
    }

    /// <summary>The full path of <paramref name="relative"/> inside <paramref name="directory"/>.</summary>
    /// <exception cref="DevelopRequestException">The path is empty, absolute, has a <c>.</c>/<c>..</c> segment or leaves the folder.</exception>
    public static string Resolve(string directory, string relative)
    {
        if (string.IsNullOrEmpty(relative))
            throw new DevelopRequestException("a manifest path is empty");
        if (relative.Contains('\\') || relative.Contains(':') || relative.Contains('\0'))
            throw new DevelopRequestException($"the manifest path '{relative}' is refused: use '/' separators, no ':', '\\' or NUL");
        if (relative.StartsWith('/') || Path.IsPathRooted(relative))
            throw new DevelopRequestException($"the manifest path '{relative}' is refused: it is absolute; paths are relative to the build folder");
        foreach (var segment in relative.Split('/'))
            if (segment is "" or "." or "..")
                throw new DevelopRequestException($"the manifest path '{relative}' is refused: empty, '.' and '..' segments are not allowed");

        string root = Path.GetFullPath(directory);
        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new DevelopRequestException($"the manifest path '{relative}' is refused: it leaves the build folder");
        return full;
    }
}
