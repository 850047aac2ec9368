using Arc.Remote;

namespace Arc.Worker.Develop;

/// <summary>
/// The develop worker's content-addressed file store: one file per SHA-256 digest under <c>blobs/</c>. A blob is
/// stored only after its bytes were hashed and found to match the digest it was sent under, and lands by an atomic
/// rename, so a reader never sees half a file and a file's name always tells its content.
/// </summary>
internal sealed class BlobStore
{
    private readonly string _directory;
    private readonly long _maxBlobBytes;

    public BlobStore(string directory, long maxBlobBytes)
    {
        _directory = directory;
        _maxBlobBytes = maxBlobBytes;
        Directory.CreateDirectory(directory);
    }

    public bool Contains(string digest) => BlobDigest.IsValid(digest) && File.Exists(PathOf(digest));

    /// <summary>The stored file of <paramref name="digest"/> (which must be valid).</summary>
    public string PathOf(string digest) => Path.Combine(_directory, digest);

    /// <summary>Stores <paramref name="bytes"/> under <paramref name="digest"/>.</summary>
    /// <exception cref="DevelopRequestException">The digest is malformed, the blob is too large, or the bytes do not match.</exception>
    public async Task PutAsync(string digest, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (!BlobDigest.IsValid(digest))
            throw new DevelopRequestException($"'{Clip(digest)}' is not a SHA-256 digest (64 lower-case hex characters)");
        if (bytes.Length > _maxBlobBytes)
            throw new DevelopRequestException($"blob {digest} has {bytes.Length} bytes; the limit is {_maxBlobBytes}");
        string actual = BlobDigest.Of(bytes.Span);
        if (actual != digest)
            throw new DevelopRequestException($"blob {digest} was refused: its {bytes.Length} bytes have the digest {actual}");
        if (File.Exists(PathOf(digest))) return;

        string temporary = Path.Combine(_directory, $".{digest}.{Guid.NewGuid():N}.part");
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, PathOf(digest), overwrite: true);
    }

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
