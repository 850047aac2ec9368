using System.Formats.Tar;

namespace Arc.Artifacts;

/// <summary>
/// Writes layer entries as a tar archive whose bytes depend only on the entries' paths, modes and file contents:
/// entries in the given (sorted) order, every time set to <see cref="Timestamp"/>, owner and group 0 with empty
/// names. GNU format, so paths longer than ustar's 100 (+155) characters still work (every OCI runtime reads it).
/// </summary>
public static class DeterministicTar
{
    /// <summary>The modification, access and change time of every entry: the Unix epoch.</summary>
    public static DateTimeOffset Timestamp { get; } = DateTimeOffset.UnixEpoch;

    /// <summary>Writes <paramref name="entries"/> to <paramref name="destination"/> (left open).</summary>
    public static async Task WriteAsync(IEnumerable<LayerEntry> entries, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new TarWriter(destination, TarEntryFormat.Gnu, leaveOpen: true);
        await using var writerDisposal = writer.ConfigureAwait(false);
        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Kind == LayerEntryKind.Directory)
            {
                await writer.WriteEntryAsync(Header(TarEntryType.Directory, entry.Path + "/", entry.Mode), cancellationToken).ConfigureAwait(false);
                continue;
            }
            var header = Header(TarEntryType.RegularFile, entry.Path, entry.Mode);
            var content = new FileStream(entry.SourcePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var contentDisposal = content.ConfigureAwait(false);
            long length = content.Length;
            header.DataStream = content;
            await writer.WriteEntryAsync(header, cancellationToken).ConfigureAwait(false);
            // The header declares the length before the bytes: a file changed while it was read made a broken archive.
            if (content.Length != length || content.Position != length)
                throw new IOException($"{entry.SourcePath} changed size while it was written into the layer (as '{entry.Path}')");
        }
    }

    static GnuTarEntry Header(TarEntryType type, string path, UnixFileMode mode) => new(type, path)
    {
        Mode = mode,
        Uid = 0,
        Gid = 0,
        UserName = "",
        GroupName = "",
        ModificationTime = Timestamp,
        AccessTime = Timestamp,
        ChangeTime = Timestamp,
    };
}
