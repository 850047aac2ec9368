namespace Arc.Datasets;

/// <summary>
/// Copies the raw data a dataset was made from into the version's <c>raw/</c> folder: a folder's files and folders
/// (recursively), or one file. Each file is flushed to disk as it is written; the publish flushes the folders.
/// </summary>
internal static class RawCopy
{
    /// <summary>Copies <paramref name="source"/> into <paramref name="raw"/> (created here).</summary>
    /// <exception cref="ArgumentException">A symbolic link, or a name a hash manifest line cannot hold.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="source"/> does not exist.</exception>
    public static async Task CopyAsync(string source, string raw, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(raw);
        if (File.Exists(source))
        {
            await CopyFileAsync(new FileInfo(source), Path.Combine(raw, Path.GetFileName(source)), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!Directory.Exists(source))
            throw new FileNotFoundException($"the raw data {source} does not exist", source);
        var pending = new Stack<(DirectoryInfo From, string To)>([(new DirectoryInfo(source), raw)]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in folder.From.EnumerateFileSystemInfos())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (entry.LinkTarget is not null)
                    throw new ArgumentException($"the raw data holds the symbolic link {entry.FullName}; raw/ holds regular files and folders only (copy what it points to)");
                if (entry.Name.AsSpan().IndexOfAny('\n', '\r', '\\') >= 0)
                    throw new ArgumentException($"the raw file name {entry.FullName} has a line break or backslash, which the hash manifest cannot hold");
                string target = Path.Combine(folder.To, entry.Name);
                if (entry is DirectoryInfo child)
                {
                    Directory.CreateDirectory(target);
                    pending.Push((child, target));
                }
                else
                {
                    await CopyFileAsync((FileInfo)entry, target, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task CopyFileAsync(FileInfo from, string to, CancellationToken cancellationToken)
    {
        var source = new FileStream(from.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (source.ConfigureAwait(false))
        {
            var target = new FileStream(to, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                await source.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }
        }
    }
}
