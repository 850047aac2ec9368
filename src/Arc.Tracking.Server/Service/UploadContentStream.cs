using Grpc.Core;

namespace Arc.Tracking.Server;

/// <summary>
/// The bytes of an upload as a read-only stream for <see cref="IBlobStore.PutAsync"/>: the chunks of the request
/// stream in order, ending at the trailer, whose sha256 it keeps (<see cref="TrailerSha256"/>). A second header, a chunk
/// larger than <see cref="TrackingServerClient.FileChunkBytes"/>, more bytes than the header declared, or the end of the
/// request stream before a trailer is an <see cref="ArgumentException"/> (the call ends InvalidArgument and the blob
/// store discards what it had written).
/// </summary>
internal sealed class UploadContentStream(IAsyncStreamReader<UploadFileRequest> requests, long? declaredSize, CancellationToken callCancelled) : Stream
{
    private ReadOnlyMemory<byte> _chunk;
    private long _received;
    private bool _ended;

    /// <summary>The trailer's sha256 once the stream has been read to its end.</summary>
    public string? TrailerSha256 { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_chunk.IsEmpty && !_ended)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancelled);
            if (!await requests.MoveNext(linked.Token).ConfigureAwait(false))
                throw new ArgumentException("the upload ended without its trailer (the sha256 of the bytes); nothing was attached");
            var part = requests.Current;
            switch (part.PartCase)
            {
                case UploadFileRequest.PartOneofCase.Chunk:
                    if (part.Chunk.Length > TrackingServerClient.FileChunkBytes)
                        throw new ArgumentException($"an upload chunk holds {part.Chunk.Length:N0} bytes; the limit is {TrackingServerClient.FileChunkBytes:N0}");
                    _received += part.Chunk.Length;
                    if (_received > declaredSize)
                        throw new ArgumentException($"the upload's header said {declaredSize} bytes, but more arrived");
                    _chunk = part.Chunk.Memory;
                    break;
                case UploadFileRequest.PartOneofCase.Trailer:
                    TrailerSha256 = TrackingNames.Sha256(part.Trailer.Sha256, "trailer.sha256");
                    _ended = true;
                    break;
                default:
                    throw new ArgumentException($"an upload has one header, first; then chunks and a trailer (got {part.PartCase} after the header)");
            }
        }
        if (_chunk.IsEmpty) return 0;
        int count = Math.Min(buffer.Length, _chunk.Length);
        _chunk[..count].CopyTo(buffer);
        _chunk = _chunk[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The blob stores read asynchronously; a synchronous read would block a thread on the network.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _received; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
