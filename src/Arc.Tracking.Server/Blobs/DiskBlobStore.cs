using System.Buffers;
using System.Globalization;

namespace Arc.Tracking.Server;

/// <summary>
/// The default blob store: one file per blob under a root folder, at <c>sha256/&lt;first two hex digits&gt;/&lt;hex&gt;</c>
/// (256 shards keep any one directory small). A blob is written to <c>incoming/</c> on the same file system while it
/// is hashed, flushed to disk, renamed to its address and its directory flushed, before <see cref="PutAsync"/>
/// returns: an acknowledged blob survives a power cut, and a reader never sees a half-written one.
/// </summary>
public sealed class DiskBlobStore : IBlobStore
{
    /// <summary>How much is read from the caller's stream per write; also the only buffer a transfer holds.</summary>
    internal const int ChunkSize = 1024 * 1024;

    const string IncomingSuffix = ".part";
    readonly string _blobs;
    readonly string _incoming;
    readonly string _name;

    /// <summary>Opens (creating it when missing) the store under <paramref name="root"/>.</summary>
    /// <remarks>Files left in <c>incoming/</c> by a process that no longer runs (a killed server) are removed here.</remarks>
    public DiskBlobStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _blobs = Path.Combine(Root, "sha256");
        _incoming = Path.Combine(Root, "incoming");
        _name = $"the disk blob store {Root}";
        BlobDirectorySync.CreateDirectory(_blobs);
        BlobDirectorySync.CreateDirectory(_incoming);
        RemoveIncomingOfDeadProcesses();
    }

    /// <summary>The store's folder (absolute).</summary>
    public string Root { get; }

    /// <summary>Where the blob <paramref name="sha256"/> is (or would be) stored.</summary>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 lowercase hex digits.</exception>
    public string PathOf(string sha256)
    {
        BlobHash.Validate(sha256);
        return Path.Combine(_blobs, sha256[..2], sha256);
    }

    /// <inheritdoc />
    /// <remarks>
    /// When the blob is already stored, its copy is checked (size, then hash) and replaced if it is damaged, so storing
    /// the content again heals a corrupt blob; an intact copy is left as it is.
    /// </remarks>
    public async Task<BlobRef> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        string temporary = Path.Combine(_incoming, $"{Environment.ProcessId}-{Guid.NewGuid():N}{IncomingSuffix}");
        try
        {
            var written = await WriteAndFlushAsync(content, temporary, cancellationToken).ConfigureAwait(false);
            string path = PathOf(written.Sha256);
            string shard = Path.GetDirectoryName(path)!;
            BlobDirectorySync.CreateDirectory(shard);
            if (!File.Exists(path))
            {
                try
                {
                    File.Move(temporary, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another writer published the same content first; its copy is as good as ours.
                }
            }
            else if (!await IsIntactAsync(path, written, cancellationToken).ConfigureAwait(false))
            {
                File.Move(temporary, path, overwrite: true);
            }
            // Also when nothing was renamed: another writer's rename may not be on disk yet, and our caller relies on it.
            BlobDirectorySync.Sync(shard);
            return written;
        }
        finally
        {
            // Gone after a rename; left after a failure, a cancellation or a duplicate.
            File.Delete(temporary);
        }
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
    {
        string path = PathOf(sha256);
        cancellationToken.ThrowIfCancellationRequested();
        FileStream file;
        try
        {
            // No FileStream buffer: the caller's buffer is filled directly. FileShare.Delete lets a blob be deleted
            // or replaced while someone reads the old copy.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(_name, sha256);
        }
        return Task.FromResult<Stream>(new VerifyingReadStream(file, owner: null, _name, sha256, file.Length));
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default)
        => Task.FromResult(File.Exists(PathOf(sha256)));

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken = default)
    {
        string path = PathOf(sha256);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path)) return Task.FromResult(false);
        File.Delete(path);
        BlobDirectorySync.Sync(Path.GetDirectoryName(path)!);
        return Task.FromResult(true);
    }

    /// <summary>Copies <paramref name="content"/> to a new file while hashing it, then flushes the file to disk.</summary>
    static async Task<BlobRef> WriteAndFlushAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0,
            Options = FileOptions.Asynchronous,
        };
        // Checkpoints can hold what a team would not publish: blobs are the server's to read, nobody else's.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var hash = BlobHash.Create();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var file = new FileStream(path, options);
            await using var fileDisposal = file.ConfigureAwait(false);
            long size = 0;
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                size += read;
            }
            // The data reaches the disk before the rename that publishes it, or a crash could publish a short file.
            file.Flush(flushToDisk: true);
            return new BlobRef(BlobHash.ToHex(hash.GetHashAndReset()), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether the stored file at <paramref name="path"/> holds exactly <paramref name="expected"/>'s bytes.</summary>
    static async Task<bool> IsIntactAsync(string path, BlobRef expected, CancellationToken cancellationToken)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: ChunkSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var fileDisposal = file.ConfigureAwait(false);
            if (file.Length != expected.Size) return false;
            byte[] hash = await System.Security.Cryptography.SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false);
            return BlobHash.ToHex(hash) == expected.Sha256;
        }
        catch (FileNotFoundException)
        {
            return false; // deleted meanwhile: replace it
        }
    }

    /// <summary>Removes <c>incoming/&lt;pid&gt;-*.part</c> files whose process is gone (on Linux, where /proc tells).</summary>
    void RemoveIncomingOfDeadProcesses()
    {
        if (!OperatingSystem.IsLinux()) return;
        foreach (string file in Directory.EnumerateFiles(_incoming, "*" + IncomingSuffix))
        {
            string name = Path.GetFileName(file);
            int dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}")) continue;
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Another store on the same root removed it first, or it is in use after all: leave it.
            }
        }
    }
}
