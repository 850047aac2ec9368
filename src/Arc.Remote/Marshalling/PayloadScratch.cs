using System.Buffers;

namespace Arc.Remote;

/// <summary>
/// Where a marshaller encodes one message before handing it to gRPC: one array rented from
/// <see cref="ArrayPool{T}.Shared"/>, grown by renting a bigger one. Knowing the encoded length lets the marshaller
/// tell gRPC the payload length up front, which is what makes gRPC write the message straight into its frame buffer;
/// without it, Grpc.Net (client and server) encodes into a fresh <see cref="ArrayBufferWriter{T}"/> that starts at
/// 256 bytes and doubles its way up, allocating and copying at every step (for a 197 KiB batch: ten allocations,
/// two of them on the large object heap, per message).
/// </summary>
internal sealed class PayloadScratch : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 4096;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0 || count > _buffer.Length - _written) throw new ArgumentOutOfRangeException(nameof(count));
        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Gives the array back to the pool.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        if ((long)_written + needed > Array.MaxLength)
            throw new InvalidOperationException($"an Arc message cannot exceed {Array.MaxLength} bytes");
        long wanted = Math.Min(Math.Max((long)_written + needed, 2L * _buffer.Length), Array.MaxLength);
        // A tensor's bin asks for its whole size right after a few dozen header bytes, so the large copy happens once.
        var bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
