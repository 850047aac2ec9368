using System.Security.Cryptography;

namespace Arc.Tracking.Server;

/// <summary>
/// A read-only, forward-only view of a stored blob that hashes every byte it hands out and, on reaching the end,
/// compares the hash with the blob's address. A mismatch (altered or truncated bytes) throws
/// <see cref="BlobCorruptedException"/> from the read that would have returned 0, and from every read after it, so a
/// copy loop can never finish normally on bad data.
/// </summary>
internal sealed class VerifyingReadStream : Stream
{
    readonly Stream _inner;
    readonly IDisposable? _owner;
    readonly string _store;
    readonly string _expectedSha256;
    readonly long? _length;
    readonly Func<Exception, bool>? _isEndCheckFailure;
    readonly IncrementalHash _hash = BlobHash.Create();
    long _position;
    BlobCorruptedException? _corruption;
    bool _verified;

    /// <param name="inner">The stored bytes, from their start (disposed with this stream).</param>
    /// <param name="owner">Something else to dispose with it (an S3 response that owns <paramref name="inner"/>).</param>
    /// <param name="store">The store, for the exception's message.</param>
    /// <param name="expectedSha256">The blob's address.</param>
    /// <param name="length">The stored size when the store knows it (served as <see cref="Length"/>; not trusted).</param>
    /// <param name="isEndCheckFailure">
    /// Recognizes an integrity check of <paramref name="inner"/> itself that fails at the end of the bytes (the S3 SDK
    /// compares a single-part object's MD5 with its ETag). When it fires after all <paramref name="length"/> bytes were
    /// read, this stream's own verdict is given instead, so every store reports damage the same way.
    /// </param>
    public VerifyingReadStream(Stream inner, IDisposable? owner, string store, string expectedSha256, long? length,
        Func<Exception, bool>? isEndCheckFailure = null)
    {
        _isEndCheckFailure = isEndCheckFailure;
        _inner = inner;
        _owner = owner;
        _store = store;
        _expectedSha256 = expectedSha256;
        _length = length;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ThrowIfCorrupted();
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception e) when (IsEndCheckFailure(e, buffer.Length))
        {
            read = 0;
        }
        return Account(buffer[..read], requested: buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfCorrupted();
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsEndCheckFailure(e, buffer.Length))
        {
            read = 0;
        }
        return Account(buffer.Span[..read], requested: buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Whether <paramref name="e"/> is the inner stream's own end-of-content check failing after every byte was
    /// delivered: then the read is treated as the end, and <see cref="Account"/> gives the SHA-256 verdict (which a
    /// failed MD5 implies, and which names the blob's address). Anything else propagates unchanged.
    /// </summary>
    bool IsEndCheckFailure(Exception e, int requested)
        => requested > 0 && _isEndCheckFailure is not null && _length == _position && _isEndCheckFailure(e);

    int Account(ReadOnlySpan<byte> read, int requested)
    {
        if (read.Length > 0)
        {
            _hash.AppendData(read);
            _position += read.Length;
            return read.Length;
        }
        // A zero-length request returns 0 without meaning the end.
        if (requested == 0 || _verified) return 0;
        string found = BlobHash.ToHex(_hash.GetHashAndReset());
        if (found != _expectedSha256)
        {
            _corruption = new BlobCorruptedException(_store, _expectedSha256, found, _position);
            throw _corruption;
        }
        _verified = true;
        return 0;
    }

    void ThrowIfCorrupted()
    {
        if (_corruption is not null) throw _corruption;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length ?? throw new NotSupportedException("this blob stream does not know its length");
    public override long Position { get => _position; set => throw new NotSupportedException("a verified blob stream reads forward only"); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a verified blob stream reads forward only");
    public override void SetLength(long value) => throw new NotSupportedException("a blob stream is read-only");
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("a blob stream is read-only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
        _hash.Dispose();
        GC.SuppressFinalize(this);
    }
}
