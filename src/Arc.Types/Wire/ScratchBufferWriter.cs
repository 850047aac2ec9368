using System.Buffers;

namespace Arc.Types;

/// <summary>
/// A growable, reusable <see cref="IBufferWriter{T}"/> over one array, kept per thread so that serializing to a
/// byte array costs one copy into warm memory plus one into the result, never a chain of segment copies.
/// </summary>
internal sealed class ScratchBufferWriter : IBufferWriter<byte>
{
    /// <summary>Buffers bigger than this are not kept after use, so one huge value does not pin memory for the thread's life.</summary>
    private const int MaxKeptBytes = 64 * 1024 * 1024;

    [ThreadStatic] private static ScratchBufferWriter? t_cached;

    private byte[] _buffer = new byte[4096];
    private int _written;

    /// <summary>This thread's scratch writer, emptied (or a new one if it is in use further up the stack).</summary>
    public static ScratchBufferWriter Rent()
    {
        var writer = t_cached ?? new ScratchBufferWriter();
        t_cached = null;
        writer._written = 0;
        return writer;
    }

    /// <summary>Gives the writer back for the next call on this thread.</summary>
    public static void Return(ScratchBufferWriter writer)
    {
        if (writer._buffer.Length <= MaxKeptBytes) t_cached = writer;
    }

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

    private void Ensure(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed) return;
        long wanted = Math.Max((long)_written + needed, 2L * _buffer.Length);
        var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(wanted, Array.MaxLength));
        if (bigger.Length - _written < needed) throw new OutOfMemoryException("an Arc wire payload cannot exceed 2 GB");
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        _buffer = bigger;
    }
}
