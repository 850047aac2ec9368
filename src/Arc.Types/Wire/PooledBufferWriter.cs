using System.Buffers;

namespace Arc.Types;

/// <summary>
/// Where Arc encodes one value or message before handing it on: a growable <see cref="IBufferWriter{T}"/> over one
/// array rented from <see cref="ArrayPool{T}.Shared"/>, grown by renting a bigger one, so encoding costs one copy into
/// warm pooled memory, never a chain of segment copies. The pool (not this type) decides how much memory stays cached,
/// and trims it under pressure.
/// </summary>
/// <remarks>
/// Its users: <see cref="ArcWire.Serialize{T}(T)"/> (then one copy into the exact-size result), the gRPC marshallers
/// (knowing the encoded length lets them tell gRPC the payload length up front, which makes gRPC write the message
/// straight into its frame buffer; without it, Grpc.Net encodes into a fresh <see cref="ArrayBufferWriter{T}"/> that
/// starts at 256 bytes and doubles its way up — for a 197 KiB batch ten allocations, two on the large object heap, per
/// message), and the hyperparameter and pod-argument codecs.
/// </remarks>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int InitialBytes = 4096;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBytes);
    private int _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written so far, as a new array of exactly their length.</summary>
    public byte[] ToArray()
    {
        // Every byte is overwritten by the copy, so the array need not be zeroed first.
        var result = GC.AllocateUninitializedArray<byte>(_written);
        WrittenSpan.CopyTo(result);
        return result;
    }

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
        _buffer = Array.Empty<byte>();
        _written = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        if ((long)_written + needed > Array.MaxLength)
            throw new InvalidOperationException($"an Arc wire payload cannot exceed {Array.MaxLength} bytes");
        long wanted = Math.Max((long)_written + needed, 2L * _buffer.Length);
        // Growth copies only what is written so far: a tensor's bin asks for its whole size up front, right after
        // a few dozen header bytes, so the large copy happens once, straight into the final buffer.
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(wanted, Array.MaxLength));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
