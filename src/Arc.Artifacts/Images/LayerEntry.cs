namespace Arc.Artifacts;

/// <summary>What a layer entry is.</summary>
public enum LayerEntryKind
{
    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A regular file whose bytes are read from a file on this machine.</summary>
    File,
}

/// <summary>
/// One entry of an image layer: a path inside the image (relative, '/'-separated, no <c>.</c> or <c>..</c> segments;
/// directories end without a slash here and get one in the tar), its kind, permission bits and, for a file, where its
/// bytes come from. Ownership and times are not part of an entry: every entry is written as root-owned with a fixed
/// time, so equal inputs make equal layers.
/// </summary>
/// <param name="Path">The path inside the image, e.g. <c>usr/share/dotnet/dotnet</c>.</param>
/// <param name="Kind">Directory or file.</param>
/// <param name="Mode">Permission bits (e.g. 0755, 0644, 01777 for /tmp).</param>
/// <param name="SourcePath">For a file: the file on this machine whose bytes it holds (symbolic links are followed).</param>
public sealed record LayerEntry(string Path, LayerEntryKind Kind, UnixFileMode Mode, string? SourcePath);
