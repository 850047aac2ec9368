using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Arc.Datasets;

/// <summary>
/// The content hash of a dataset version, the same computation for publishing and for verifying (docs/datasets.md,
/// "The content hash"): SHA-256 over a manifest in <c>sha256sum</c>'s format, one line
/// <c>&lt;sha256 hex&gt;  &lt;path&gt;\n</c> per file of the version other than meta.json, plus one line for the exact
/// bytes of meta.json's <c>content</c> member under the name <c>meta.json#content</c>, the lines sorted by path (UTF-8
/// bytes). Files are hashed in parallel, one per core.
/// </summary>
internal static class DatasetHashing
{
    /// <summary>The algorithm meta.json names.</summary>
    public const string Algorithm = "sha256";

    /// <summary>The manifest's name for the bytes of meta.json's <c>content</c> member.</summary>
    public const string ContentEntry = "meta.json#content";

    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Every file of the version folder <paramref name="root"/> other than meta.json: paths relative to it with
    /// <c>/</c> between folders, sorted by their UTF-8 bytes (as <c>LC_ALL=C sort</c> would).
    /// </summary>
    /// <exception cref="DatasetFormatException">A symbolic link or a special file, or a name a manifest line cannot hold.</exception>
    public static IReadOnlyList<string> ListFiles(string root)
    {
        var files = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
            {
                string relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (entry.LinkTarget is not null)
                    throw new DatasetFormatException(entry.FullName, "is a symbolic link; a dataset version holds regular files and folders only");
                if (entry is DirectoryInfo) { pending.Push(entry.FullName); continue; }
                if (relative == MetaJson.FileName) continue;
                if (relative.AsSpan().IndexOfAny('\n', '\r', '\\') >= 0)
                    throw new DatasetFormatException(entry.FullName, "has a line break or backslash in its name, which the hash manifest cannot hold");
                files.Add(relative);
            }
        }
        files.Sort(Utf8Order);
        return files;
    }

    /// <summary>Sizes and SHA-256s of <paramref name="paths"/> (relative to <paramref name="root"/>), in the same order.</summary>
    public static async Task<DatasetFileInfo[]> HashFilesAsync(string root, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var result = new DatasetFileInfo[paths.Count];
        // Largest first, so that the big arrays start at once and the small files fill in around them.
        var order = Enumerable.Range(0, paths.Count).OrderByDescending(i => new FileInfo(Path.Combine(root, paths[i])).Length).ToArray();
        await Parallel.ForEachAsync(order, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            (i, token) =>
            {
                result[i] = HashFile(root, paths[i], token);
                return ValueTask.CompletedTask;
            }).ConfigureAwait(false);
        return result;
    }

    /// <summary>The content hash of <paramref name="files"/> (sorted as <see cref="ListFiles"/> sorts) and the content bytes.</summary>
    public static string Combine(IReadOnlyList<DatasetFileInfo> files, ReadOnlySpan<byte> content)
        => Convert.ToHexStringLower(SHA256.HashData(Manifest(files, content)));

    /// <summary>The manifest the content hash is the SHA-256 of.</summary>
    public static byte[] Manifest(IReadOnlyList<DatasetFileInfo> files, ReadOnlySpan<byte> content)
    {
        var lines = files.Select(f => (f.Path, f.Sha256))
            .Append((ContentEntry, Convert.ToHexStringLower(SHA256.HashData(content))))
            .OrderBy(line => line.Item1, Utf8Order);
        var manifest = new StringBuilder();
        foreach (var (path, sha256) in lines) manifest.Append(sha256).Append("  ").Append(path).Append('\n');
        return Encoding.UTF8.GetBytes(manifest.ToString());
    }

    private static DatasetFileInfo HashFile(string root, string relative, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(Path.Combine(root, relative), FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        long offset = 0;
        try
        {
            int read;
            while ((read = RandomAccess.Read(file, buffer.AsSpan(0, ChunkBytes), offset)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                sha.AppendData(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new DatasetFileInfo(relative, offset, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static readonly Comparer<string> Utf8Order = Comparer<string>.Create(
        (a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));
}
