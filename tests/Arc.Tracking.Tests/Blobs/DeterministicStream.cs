using System.Buffers.Binary;

namespace Arc.Tracking.Tests;

/// <summary>
/// A read-only stream of <c>length</c> pseudo-random bytes made on the fly: byte <c>p</c> is byte <c>p % 8</c> of
/// SplitMix64(seed, p / 8), so the content depends only on the seed and the position (never on how it is read), a
/// 1 GiB blob costs no memory and no disk, and a reader can regenerate any range to compare with.
/// </summary>
internal sealed class DeterministicStream(ulong seed, long length) : Stream
{
    long _position;

    /// <summary>Writes the bytes at <paramref name="position"/> onward into <paramref name="destination"/>.</summary>
    public static void Generate(ulong seed, long position, Span<byte> destination)
    {
        Span<byte> block = stackalloc byte[8];
        int written = 0;
        // A leading partial block.
        if (position % 8 != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(block, SplitMix64(seed, position / 8));
            int skip = (int)(position % 8), take = Math.Min(8 - skip, destination.Length);
            block.Slice(skip, take).CopyTo(destination);
            written = take;
        }
        long index = (position + written) / 8;
        for (; destination.Length - written >= 8; written += 8, index++)
            BinaryPrimitives.WriteUInt64LittleEndian(destination[written..], SplitMix64(seed, index));
        if (written < destination.Length)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(block, SplitMix64(seed, index));
            block[..(destination.Length - written)].CopyTo(destination[written..]);
        }
    }

    /// <summary>All the bytes, for small lengths.</summary>
    public static byte[] Bytes(ulong seed, int length)
    {
        var bytes = new byte[length];
        Generate(seed, 0, bytes);
        return bytes;
    }

    static ulong SplitMix64(ulong seed, long index)
    {
        ulong z = seed + (ulong)(index + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, length - _position);
        Generate(seed, _position, buffer[..count]);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
