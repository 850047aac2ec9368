using Prometheus;

namespace Arc.Tracking.Server;

/// <summary>
/// The blob store as the service sees it: each call goes to the real store, and the bytes that pass are counted in
/// <see cref="TrackingServerMetrics"/> (<c>direction="in"</c>: uploaded contents, also those the store already had;
/// <c>direction="out"</c>: bytes read out of the store). Failures that are not the caller's are store errors.
/// </summary>
internal sealed class MeteredBlobStore(IBlobStore blobs, TrackingServerMetrics metrics) : IBlobStore
{
    public async Task<BlobRef> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var blob = await Run("BlobPut", () => blobs.PutAsync(content, cancellationToken)).ConfigureAwait(false);
        metrics.BlobBytes.WithLabels("in").Inc(blob.Size);
        return blob;
    }

    public async Task<Stream> OpenReadAsync(string sha256, CancellationToken cancellationToken = default)
        => new CountingReadStream(await Run("BlobOpenRead", () => blobs.OpenReadAsync(sha256, cancellationToken)).ConfigureAwait(false),
            metrics.BlobBytes.WithLabels("out"));

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken = default)
        => Run("BlobExists", () => blobs.ExistsAsync(sha256, cancellationToken));

    public Task<bool> DeleteAsync(string sha256, CancellationToken cancellationToken = default)
        => Run("BlobDelete", () => blobs.DeleteAsync(sha256, cancellationToken));

    private async Task<T> Run<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (BlobNotFoundException or ArgumentException or OperationCanceledException))
        {
            metrics.StoreErrors.WithLabels(operation).Inc();
            throw;
        }
    }

    /// <summary>A read-only stream that adds every byte it hands out to a counter.</summary>
    private sealed class CountingReadStream(Stream inner, Counter.Child counter) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();

        private int Count(int read)
        {
            if (read > 0) counter.Inc(read);
            return read;
        }
    }
}
