using Microsoft.Win32.SafeHandles;

namespace Arc.Datasets;

/// <summary>
/// Writes one <c>.npy</c> file a batch of rows at a time, without knowing the row count in advance: the header is
/// written first with N = 0 and rewritten in place with the real N when the rows are done. Both headers have the
/// same length, because NumPy's header format leaves room for the first dimension to grow
/// (<see cref="NpyHeader.GrowthDigits"/>); the finished file is byte for byte what <c>np.save</c> writes.
/// </summary>
internal sealed class NpyWriter : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly int _headerLength;
    private long _offset;
    private bool _completed;

    private NpyWriter(string path, SafeFileHandle file, NpyDType dtype, int[] rowShape, int headerLength)
    {
        Path = path;
        _file = file;
        DType = dtype;
        RowShape = rowShape;
        RowBytes = rowShape.Aggregate((long)dtype.ItemSize, (n, d) => checked(n * d));
        _headerLength = headerLength;
        _offset = headerLength;
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>The element type.</summary>
    public NpyDType DType { get; }

    /// <summary>The dimensions after the first.</summary>
    public int[] RowShape { get; }

    /// <summary>Bytes per row.</summary>
    public long RowBytes { get; }

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Creates <paramref name="path"/> (which must not exist) for rows of <paramref name="rowShape"/> elements of <paramref name="dtype"/>.</summary>
    public static NpyWriter Create(string path, NpyDType dtype, int[] rowShape)
    {
        var header = NpyHeader.Encode(dtype, [0, .. rowShape.Select(d => (long)d)]);
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            RandomAccess.Write(file, header, 0);
            return new NpyWriter(path, file, dtype, (int[])rowShape.Clone(), header.Length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Appends <paramref name="rows"/> rows whose C-order bytes are <paramref name="bytes"/>.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes, long rows, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (bytes.Length != checked(rows * RowBytes))
            throw new ArgumentException($"{rows} rows of {RowBytes} bytes are {rows * RowBytes} bytes, not {bytes.Length}", nameof(bytes));
        await RandomAccess.WriteAsync(_file, bytes, _offset, cancellationToken).ConfigureAwait(false);
        _offset += bytes.Length;
        Rows += rows;
    }

    /// <summary>Writes the header with the final row count, flushes the file to disk and closes it.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var header = NpyHeader.Encode(DType, [Rows, .. RowShape.Select(d => (long)d)]);
        if (header.Length != _headerLength)
            throw new InvalidOperationException($"the header of {Path} changed length from {_headerLength} to {header.Length} bytes");
        RandomAccess.Write(_file, header, 0);
        RandomAccess.FlushToDisk(_file);
        _completed = true;
        _file.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _completed = true;
        _file.Dispose();
    }
}
