namespace Arc.Artifacts;

/// <summary>
/// The files and directories of one image layer, collected before it is written. Paths are normalized to relative
/// '/'-separated form and checked (no <c>..</c>, no empty segments), parent directories are added automatically, and
/// <see cref="Entries"/> is sorted ordinally, so the order files were added in never changes the layer's bytes.
/// Adding the same path twice is allowed only with the same content (the same source and mode).
/// </summary>
public sealed class LayerContent
{
    const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101; // 0755
    const UnixFileMode ExecutableMode = (UnixFileMode)0b111_101_101; // 0755
    const UnixFileMode RegularMode = (UnixFileMode)0b110_100_100; // 0644

    readonly SortedDictionary<string, LayerEntry> _entries = new(StringComparer.Ordinal);
    readonly HashSet<string> _implicitDirectories = new(StringComparer.Ordinal);

    /// <summary>Starts an empty layer named <paramref name="name"/> (for messages and the caller's bookkeeping).</summary>
    public LayerContent(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>What the layer holds, e.g. <c>system-libraries</c>.</summary>
    public string Name { get; }

    /// <summary>Every entry, parents first, sorted ordinally by path.</summary>
    public IReadOnlyCollection<LayerEntry> Entries => _entries.Values;

    /// <summary>Whether the layer holds any file.</summary>
    public bool HasFiles => _entries.Values.Any(entry => entry.Kind == LayerEntryKind.File);

    /// <summary>
    /// Adds the file at <paramref name="sourcePath"/> as <paramref name="imagePath"/>. Its mode is 0755 when the source
    /// is executable by its owner, else 0644 (other bits of the source, such as group write, are not carried over).
    /// </summary>
    public LayerContent AddFile(string imagePath, string sourcePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        var info = new FileInfo(sourcePath);
        if (!info.Exists) throw new FileNotFoundException($"cannot add {sourcePath} to layer '{Name}': it does not exist", sourcePath);
        bool executable = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(info.FullName) & UnixFileMode.UserExecute) != 0;
        return Add(new LayerEntry(Normalize(imagePath), LayerEntryKind.File, executable ? ExecutableMode : RegularMode, info.FullName));
    }

    /// <summary>Adds a directory with <paramref name="mode"/> (default 0755); its parents are added with 0755.</summary>
    public LayerContent AddDirectory(string imagePath, UnixFileMode mode = DirectoryMode)
        => Add(new LayerEntry(Normalize(imagePath), LayerEntryKind.Directory, mode, null));

    LayerContent Add(LayerEntry entry)
    {
        AddParents(entry.Path);
        if (_entries.TryGetValue(entry.Path, out var existing))
        {
            if (existing == entry) return this;
            // A parent added on the way to a file yields to the same directory added with a mode of its own.
            if (existing.Kind == LayerEntryKind.Directory && entry.Kind == LayerEntryKind.Directory && _implicitDirectories.Remove(entry.Path))
            {
                _entries[entry.Path] = entry;
                return this;
            }
            throw new ArgumentException($"layer '{Name}' already holds '{entry.Path}' as {Describe(existing)}; it cannot also be {Describe(entry)}");
        }
        _entries.Add(entry.Path, entry);
        return this;
    }

    void AddParents(string path)
    {
        for (int slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            string parent = path[..slash];
            if (_entries.TryGetValue(parent, out var existing))
            {
                if (existing.Kind != LayerEntryKind.Directory)
                    throw new ArgumentException($"layer '{Name}' holds '{parent}' as a file, so it cannot hold '{path}' below it");
                continue;
            }
            _entries.Add(parent, new LayerEntry(parent, LayerEntryKind.Directory, DirectoryMode, null));
            _implicitDirectories.Add(parent);
        }
    }

    static string Describe(LayerEntry entry)
        => entry.Kind == LayerEntryKind.Directory ? $"a directory (mode {Convert.ToString((int)entry.Mode, 8)})" : $"the file {entry.SourcePath}";

    /// <summary>
    /// The relative, '/'-separated form of an image path: a leading '/' is dropped (every image path is absolute in
    /// the container); empty, <c>.</c> and <c>..</c> segments are refused, so no entry can point outside the root.
    /// </summary>
    public static string Normalize(string imagePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagePath);
        string path = imagePath.Replace('\\', '/').TrimStart('/');
        if (path.EndsWith('/')) path = path.TrimEnd('/');
        if (path.Length == 0) throw new ArgumentException($"'{imagePath}' names the image root, not an entry", nameof(imagePath));
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or "." or "..")
                throw new ArgumentException($"the image path '{imagePath}' has an empty, '.' or '..' segment", nameof(imagePath));
            if (segment.Any(char.IsControl))
                throw new ArgumentException($"the image path '{imagePath}' contains control characters", nameof(imagePath));
        }
        return path;
    }
}
