namespace Arc.Artifacts;

/// <summary>
/// A registry response body that gives up when no bytes arrive for <c>idle</c>, or when the whole answer runs past
/// its deadline: HttpClient's own timeout ends when the headers arrive, so without this a body that stalls (or
/// trickles a byte at a time) would hold a pull forever. Owns the response content it reads.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, HttpContent owner, TimeSpan idle, DateTime deadlineUtc, string reference, string operation, Uri registry)
    : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var left = deadlineUtc - DateTime.UtcNow;
        if (left <= TimeSpan.Zero) throw Deadline(null);
        bool idleFirst = idle <= left;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(idleFirst ? idle : left);
        try
        {
            return await inner.ReadAsync(buffer, timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw idleFirst
                ? new ArtifactRegistryException(reference, operation, null, null,
                    $"the registry at {registry} sent no bytes for {idle.TotalSeconds:0.#} s while answering (OciRegistryOptions.IdleReadTimeout); gave up", e)
                : Deadline(e);
        }
    }

    ArtifactRegistryException Deadline(Exception? inner)
        => new(reference, operation, null, null,
            $"the registry at {registry} did not finish answering within the request time limit (OciRegistryOptions.RequestTimeout); gave up", inner);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every reader in the store is asynchronous; a synchronous caller gets the same limits, blocking.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            owner.Dispose();
        }
        base.Dispose(disposing);
    }
}
