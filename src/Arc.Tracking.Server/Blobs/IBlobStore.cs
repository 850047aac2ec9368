namespace Arc.Tracking.Server;

/// <summary>
/// Where the tracking server keeps the bytes of checkpoints, model versions and attached files: content-addressed by
/// SHA-256, so the same bytes are stored once, and a name always means the same bytes. Both directions stream; no
/// implementation holds a whole blob in memory.
/// </summary>
/// <remarks>
/// Implementations: <see cref="DiskBlobStore"/> (the default, files under a folder) and <see cref="S3BlobStore"/>
/// (a bucket and prefix of Amazon S3 or an S3-compatible service). docs/tracking-blobs.md describes both.
/// </remarks>
public interface IBlobStore
{
    /// <summary>
    /// Stores everything <paramref name="content"/> yields (read to its end, not disposed) and returns its SHA-256 and
    /// size, computed while streaming. Content already present is not written again (a damaged copy is replaced where
    /// the store can tell, see the implementation). The blob is durable when the task completes.
    /// </summary>
    Task<BlobRef> PutAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the blob for reading. The stream hashes what it hands out and, when it reaches the end, throws
    /// <see cref="BlobCorruptedException"/> if the bytes are not the ones <paramref name="sha256"/> names: a caller that
    /// reads to the end never gets bad data silently (one that stops early has verified nothing; keep what was read
    /// provisional until the end).
    /// </summary>
    /// <param name="sha256">64 lowercase hex digits (anything else is an <see cref="ArgumentException"/>).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <exception cref="BlobNotFoundException">No blob has that hash.</exception>
    Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Whether a blob with that hash is stored (its content is not verified).</summary>
    /// <param name="sha256">64 lowercase hex digits (anything else is an <see cref="ArgumentException"/>).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>Removes the blob; returns false when there was none. Durable when the task completes.</summary>
    /// <param name="sha256">64 lowercase hex digits (anything else is an <see cref="ArgumentException"/>).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken = default);
}
