using System.Runtime.InteropServices;

namespace Arc.Types;

/// <summary>
/// A dense, row-major n-dimensional array: a dtype, a shape and one little-endian byte buffer.
/// Every Arc batch type stores its numbers in these, so slicing, gathering, concatenation, the wire form
/// and tensor conversion are all bulk byte copies, never one element at a time.
/// </summary>
public sealed class ArcArray
{
    private readonly byte[] _bytes;
    private readonly int[] _shape;

    private ArcArray(ArcDType dtype, int[] shape, byte[] bytes)
    {
        DType = dtype;
        _shape = shape;
        _bytes = bytes;
    }

    /// <summary>Element type.</summary>
    public ArcDType DType { get; }

    /// <summary>Dimensions, first one is the batch size N for batch parts.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Total number of elements.</summary>
    public long Length => _bytes.LongLength / ArcDTypes.SizeOf(DType);

    /// <summary>Size of the first dimension (N), or 1 for a scalar.</summary>
    public int Rows => _shape.Length == 0 ? 1 : _shape[0];

    /// <summary>Bytes of one row (all dimensions after the first).</summary>
    public int RowBytes => _shape.Length == 0 ? _bytes.Length : (_shape[0] == 0 ? RowElements(_shape) * ArcDTypes.SizeOf(DType) : _bytes.Length / _shape[0]);

    /// <summary>The raw little-endian bytes (no copy).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The raw byte buffer itself, for bulk writers (no copy). Do not change it while the array is shared.</summary>
    public byte[] UnsafeBuffer => _bytes;

    /// <summary>Copies the shape out.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>The elements as <typeparamref name="T"/>, which must match <see cref="DType"/> (no copy).</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        var wanted = ArcDTypes.Of<T>();
        if (wanted != DType)
            throw new InvalidOperationException($"this array holds {ArcDTypes.WireName(DType)}, not {ArcDTypes.WireName(wanted)}");
        return MemoryMarshal.Cast<byte, T>(_bytes.AsSpan());
    }

    /// <summary>Copies the elements out as a new <typeparamref name="T"/> array.</summary>
    public T[] ToArray<T>() where T : unmanaged => AsSpan<T>().ToArray();

    /// <summary>Creates an array by copying <paramref name="data"/>; the shape's product must equal its length.</summary>
    public static ArcArray From<T>(ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        var dtype = ArcDTypes.Of<T>();
        CheckShape(shape, data.Length);
        return new ArcArray(dtype, (int[])shape.Clone(), MemoryMarshal.AsBytes(data).ToArray());
    }

    /// <summary>Creates an array by copying <paramref name="data"/>; the shape's product must equal its length.</summary>
    public static ArcArray From<T>(T[] data, params int[] shape) where T : unmanaged => From((ReadOnlySpan<T>)data, shape);

    /// <summary>A zero-filled array.</summary>
    public static ArcArray Zeros(ArcDType dtype, params int[] shape)
    {
        long n = CheckShape(shape, null);
        return new ArcArray(dtype, (int[])shape.Clone(), new byte[checked(n * ArcDTypes.SizeOf(dtype))]);
    }

    /// <summary>
    /// Takes ownership of <paramref name="bytes"/> (no copy). Throws <see cref="ArcFormatException"/> when the
    /// shape does not describe exactly that many bytes; wire decoders use this to reject forged shapes.
    /// </summary>
    public static ArcArray FromBytes(ArcDType dtype, int[] shape, byte[] bytes)
    {
        long elements;
        try { elements = CheckShape(shape, null); }
        catch (ArgumentException e) { throw new ArcFormatException(e.Message, e); }
        if (elements * ArcDTypes.SizeOf(dtype) != bytes.LongLength)
            throw new ArcFormatException($"shape [{string.Join(", ", shape)}] of {ArcDTypes.WireName(dtype)} needs {elements * ArcDTypes.SizeOf(dtype)} bytes but the buffer has {bytes.LongLength}");
        // A bool byte other than 0 or 1 is a value .NET and libtorch both treat inconsistently; refuse it at the door.
        if (dtype == ArcDType.Bool && bytes.AsSpan().IndexOfAnyExcept((byte)0, (byte)1) is int bad and >= 0)
            throw new ArcFormatException($"bool element {bad} is {bytes[bad]}; bool elements must be 0 or 1");
        return new ArcArray(dtype, shape, bytes);
    }

    /// <summary>Rows <paramref name="start"/> .. start+count-1 along the first dimension (a copy).</summary>
    public ArcArray SliceRows(int start, int count)
    {
        if (Rank == 0) throw new InvalidOperationException("a scalar has no rows to slice");
        if (start < 0 || count < 0 || start > Rows - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} are outside 0..{Rows}");
        int row = RowBytes;
        var shape = ShapeArray();
        shape[0] = count;
        return new ArcArray(DType, shape, _bytes.AsSpan(start * row, count * row).ToArray());
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order (a copy).</summary>
    public ArcArray TakeRows(ReadOnlySpan<int> indices)
    {
        if (Rank == 0) throw new InvalidOperationException("a scalar has no rows to take");
        int row = RowBytes;
        var result = new byte[checked(indices.Length * row)];
        for (int i = 0; i < indices.Length; i++)
        {
            int r = indices[i];
            if ((uint)r >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(indices), $"row {r} is outside 0..{Rows}");
            _bytes.AsSpan(r * row, row).CopyTo(result.AsSpan(i * row, row));
        }
        var shape = ShapeArray();
        shape[0] = indices.Length;
        return new ArcArray(DType, shape, result);
    }

    /// <summary>Joins arrays along the first dimension; dtypes and the other dimensions must match.</summary>
    public static ArcArray ConcatRows(IReadOnlyList<ArcArray> parts)
    {
        if (parts.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(parts));
        var first = parts[0];
        if (first.Rank == 0) throw new ArgumentException("scalars cannot be concatenated", nameof(parts));
        long total = 0;
        int rows = 0;
        foreach (var p in parts)
        {
            if (p.DType != first.DType)
                throw new ArgumentException($"cannot concatenate {ArcDTypes.WireName(p.DType)} onto {ArcDTypes.WireName(first.DType)}", nameof(parts));
            if (!p.Shape[1..].SequenceEqual(first.Shape[1..]))
                throw new ArgumentException($"row shape [{string.Join(", ", p.ShapeArray()[1..])}] differs from [{string.Join(", ", first.ShapeArray()[1..])}]", nameof(parts));
            total += p._bytes.LongLength;
            rows = checked(rows + p.Rows);
        }
        var bytes = new byte[total];
        long offset = 0;
        foreach (var p in parts)
        {
            p._bytes.CopyTo(bytes.AsSpan((int)offset));
            offset += p._bytes.LongLength;
        }
        var shape = first.ShapeArray();
        shape[0] = rows;
        return new ArcArray(first.DType, shape, bytes);
    }

    /// <summary>Same bytes, new shape with the same number of elements (a view sharing the buffer).</summary>
    public ArcArray Reshape(params int[] shape)
    {
        CheckShape(shape, Length);
        return new ArcArray(DType, (int[])shape.Clone(), _bytes);
    }

    /// <summary>True when <paramref name="other"/> has the same dtype, shape and bytes (NaNs with equal bits are equal).</summary>
    public bool ContentEquals(ArcArray? other)
        => other is not null && other.DType == DType && other.Shape.SequenceEqual(Shape) && other.Bytes.SequenceEqual(Bytes);

    /// <inheritdoc />
    public override string ToString() => $"ArcArray({ArcDTypes.WireName(DType)}, [{string.Join(", ", _shape)}])";

    private static int RowElements(int[] shape)
    {
        int n = 1;
        for (int i = 1; i < shape.Length; i++) n = checked(n * shape[i]);
        return n;
    }

    /// <summary>Validates dimensions (non-negative, product fits) and returns the element count.</summary>
    internal static long CheckShape(int[] shape, long? expected)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape [{string.Join(", ", shape)}] has a negative dimension");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"shape [{string.Join(", ", shape)}] has more elements than one buffer can hold");
        }
        if (expected is long e && e != n)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {n} elements but the data has {e}");
        return n;
    }
}
