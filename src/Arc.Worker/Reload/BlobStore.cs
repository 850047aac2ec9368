using Grpc.Core;
using Arc.Artifacts;
using Arc.Remote;

namespace Arc.Worker;

/// <summary>
/// The develop worker's content-addressed file store: one file per SHA-256 digest under <c>blobs/</c>, a folder only its
/// owner can enter (0700 from its creation). A blob is stored only after its bytes were hashed and found to match the
/// digest it was sent under, and only while the store stays within its byte quota; it lands by an atomic, durable
/// rename (<see cref="DurableFile"/>), so a reader never sees half a file and a file's name always tells its content.
/// </summary>
internal sealed class BlobStore
{
    private readonly string _directory;
    private readonly long _maxBlobBytes;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);
    private long _usedBytes;

    /// <param name="directory">The store's folder; created 0700 (it must not exist yet with looser rights).</param>
    /// <param name="maxBlobBytes">The largest single blob.</param>
    /// <param name="quotaBytes">The most bytes all blobs together may take (those being written included).</param>
    public BlobStore(string directory, long maxBlobBytes, long quotaBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quotaBytes);
        _directory = directory;
        _maxBlobBytes = maxBlobBytes;
        QuotaBytes = quotaBytes;
        DurableFile.CreateDirectory(directory, ownerOnly: true);
    }

    /// <summary>The byte quota of the whole store.</summary>
    public long QuotaBytes { get; }

    /// <summary>Bytes stored or being stored now.</summary>
    public long UsedBytes
    {
        get { lock (_gate) return _usedBytes; }
    }

    public bool Contains(string digest) => BlobDigest.IsValid(digest) && File.Exists(PathOf(digest));

    /// <summary>The stored file of <paramref name="digest"/> (which must be valid).</summary>
    public string PathOf(string digest) => Path.Combine(_directory, digest);

    /// <summary>Stores <paramref name="bytes"/> under <paramref name="digest"/>.</summary>
    /// <exception cref="DevelopRequestException">The digest is malformed, the blob is too large, the bytes do not match,
    /// or the store's quota would be exceeded (<c>ResourceExhausted</c>); nothing is written then.</exception>
    public async Task PutAsync(string digest, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!BlobDigest.IsValid(digest))
            throw new DevelopRequestException($"'{Clip(digest)}' is not a SHA-256 digest (64 lower-case hex characters)");
        if (bytes.Length > _maxBlobBytes)
            throw new DevelopRequestException($"blob {digest} has {bytes.Length} bytes; the limit is {_maxBlobBytes}");
        string actual = BlobDigest.Of(bytes.Span);
        if (actual != digest)
            throw new DevelopRequestException($"blob {digest} was refused: its {bytes.Length} bytes have the digest {actual}");

        lock (_gate)
        {
            if (_stored.Contains(digest)) return;
            // Reserved before writing, so concurrent uploads cannot together pass the quota.
            if (_usedBytes + bytes.Length > QuotaBytes)
                throw new DevelopRequestException(
                    $"blob {digest} ({bytes.Length} bytes) was refused: the develop store holds {_usedBytes} of its {QuotaBytes} bytes " +
                    $"({WorkerEnvironment.DevelopQuotaBytes}); start a new develop worker, or raise the quota", StatusCode.ResourceExhausted);
            _usedBytes += bytes.Length;
        }

        bool stored = false;
        string temporary = Path.Combine(_directory, $".{digest}.{Guid.NewGuid():N}.part");
        try
        {
            await DurableFile.WriteNewAsync(temporary, bytes, cancellationToken);
            DurableFile.Publish(temporary, PathOf(digest), overwrite: true);
            stored = true;
        }
        finally
        {
            File.Delete(temporary); // after a failed write (a full disk, a cancelled call): nothing is left behind
            lock (_gate)
            {
                // A blob stored twice (two concurrent uploads of one digest) is one file: count it once.
                if (!stored || !_stored.Add(digest)) _usedBytes -= bytes.Length;
            }
        }
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
