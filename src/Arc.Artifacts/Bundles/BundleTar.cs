using System.Formats.Tar;

namespace Arc.Artifacts;

/// <summary>
/// Writes code bundles as deterministic tar archives: entries sorted by path, regular files only, fixed
/// modification time (the Unix epoch), owner 0:0 without names, mode 0644. Equal files therefore give equal bytes and
/// equal digests, whatever the files' times, owners and order on disk — so registries and layouts store them once.
/// </summary>
internal static class BundleTar
{
    private const UnixFileMode EntryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="files"/> (bundle path → file on disk) to <paramref name="destination"/>.</summary>
    public static async Task WriteAsync(Stream destination, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var writer = new TarWriter(destination, TarEntryFormat.Ustar, leaveOpen: true);
        await using var writerDisposal = writer.ConfigureAwait(false);
        foreach (var (path, file) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (path.Length > 255)
                throw new InvalidOperationException($"'{path}' is longer than the 255 characters a bundle path may have");
            var content = File.OpenRead(file);
            await using var contentDisposal = content.ConfigureAwait(false);
            var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
            {
                ModificationTime = DateTimeOffset.UnixEpoch,
                Mode = EntryMode,
                Uid = 0,
                Gid = 0,
                UserName = "",
                GroupName = "",
                DataStream = content,
            };
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the tar to a new file at <paramref name="path"/>.</summary>
    public static async Task WriteFileAsync(string path, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using var streamDisposal = stream.ConfigureAwait(false);
        await WriteAsync(stream, files, cancellationToken).ConfigureAwait(false);
    }
}
