using Microsoft.Win32.SafeHandles;

namespace Arc.Datasets;

/// <summary>
/// A <c>.npy</c> file opened for reading rows: the header is checked against the file's length (a truncated or padded
/// file is refused here, before any row is read), then each read copies the rows asked for straight from the file
/// into a new buffer with positional reads (<c>pread</c>): one per run of adjacent rows. The operating system's page
/// cache keeps the file's pages; this process holds only the batches it reads, so a split much larger than memory is
/// read a batch at a time in bounded memory. Reads may run concurrently.
/// </summary>
/// <remarks>
/// Not a memory mapping, although that is the usual way: the pages a mapping touches count in the process's resident
/// memory until they are unmapped, and on Linux 6.18 with ext4's large folios a shuffled batch of 1,024 rows of 4 KiB
/// mapped about 800 MB (each touched row maps its whole folio), so resident memory followed the dataset's size, not
/// the batch's. Positional reads cost the same copy and map nothing.
/// </remarks>
internal sealed class NpyRowReader : IDisposable
{
    private readonly SafeFileHandle _file;

    /// <summary>The whole data region, when <see cref="KeepInMemoryIfAtMost"/> found it small; rows are then copied from here.</summary>
    private byte[]? _resident;

    private NpyRowReader(string path, SafeFileHandle file, NpyHeader header, int rowBytes)
    {
        Path = path;
        _file = file;
        Header = header;
        Rows = (int)header.Shape[0];
        RowBytes = rowBytes;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The file's header.</summary>
    public NpyHeader Header { get; }

    /// <summary>Rows (the first dimension).</summary>
    public int Rows { get; }

    /// <summary>Bytes per row.</summary>
    public int RowBytes { get; }

    /// <summary>The dimensions after the first.</summary>
    public int[] RowShape => Header.Shape.Skip(1).Select(d => (int)d).ToArray();

    /// <summary>
    /// Opens <paramref name="path"/>: checks the header, that the array is in C order and has at least one dimension
    /// whose rows Arc can hold, and that the file holds exactly the data the header describes.
    /// </summary>
    /// <exception cref="DatasetFormatException">The file is not such a .npy file; the message says what is wrong.</exception>
    public static NpyRowReader Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var header = NpyHeader.Read(file, path);
            long length = RandomAccess.GetLength(file);
            if (header.FortranOrder && header.Shape.Count(d => d > 1) > 1)
                throw new DatasetFormatException(path, "is in Fortran order; Arc reads C order (in NumPy: np.save(path, np.ascontiguousarray(a)))");
            if (header.Shape.Length == 0)
                throw new DatasetFormatException(path, "holds a scalar; a dataset array has one row per sample");
            if (header.Shape[0] > int.MaxValue)
                throw new DatasetFormatException(path, $"has {header.Shape[0]} rows; Arc reads at most {int.MaxValue} per file");
            long rowBytes = header.Shape.Skip(1).Aggregate((long)header.DType.ItemSize, (n, d) => checked(n * d));
            if (rowBytes > Array.MaxLength)
                throw new DatasetFormatException(path, $"has rows of {rowBytes} bytes; Arc reads rows up to {Array.MaxLength} bytes");
            long expected = header.DataOffset + header.DataBytes;
            if (length < expected)
                throw new DatasetFormatException(path, $"is truncated: its header describes {PythonLiteral.ReprTuple(header.Shape)} of {header.DType.Name}, " +
                    $"{header.DataBytes} bytes of data, but the file holds {length - header.DataOffset} after its {header.DataOffset}-byte header");
            if (length > expected)
                throw new DatasetFormatException(path, $"has {length - expected} bytes after the {header.DataBytes} bytes of data its header describes");
            return new NpyRowReader(path, file, header, (int)rowBytes);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the whole data region into memory when it is at most <paramref name="maxBytes"/>, so later reads copy rows
    /// from memory instead of reading each from the file. A shuffled batch reads one row per sample from each file, and
    /// for rows of a few KiB or less the system calls, not the bytes, are the cost (DatasetOpenOptions.KeepInMemoryBytes
    /// says which files of a version are held).
    /// </summary>
    /// <returns>Whether the data is now held in memory.</returns>
    public bool KeepInMemoryIfAtMost(long maxBytes)
    {
        if (_resident is not null) return true;
        if (Header.DataBytes > maxBytes || Header.DataBytes > Array.MaxLength) return false;
        var bytes = GC.AllocateUninitializedArray<byte>((int)Header.DataBytes);
        ReadExactly(bytes, 0);
        _resident = bytes;
        return true;
    }

    /// <summary>Rows <paramref name="start"/> .. <paramref name="start"/>+<paramref name="count"/>-1, copied into a new array.</summary>
    public byte[] ReadRows(int start, int count)
    {
        if (start < 0 || count < 0 || start > Rows - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} are outside 0..{Rows} of {Path}");
        var bytes = GC.AllocateUninitializedArray<byte>(checked(count * RowBytes));
        ReadExactly(bytes, start);
        return bytes;
    }

    /// <summary>The rows at <paramref name="indices"/>, in that order, copied into a new array (one read per run of adjacent rows).</summary>
    public byte[] TakeRows(ReadOnlySpan<int> indices)
    {
        foreach (int r in indices)
            if ((uint)r >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(indices), $"row {r} is outside 0..{Rows} of {Path}");
        int row = RowBytes;
        var bytes = GC.AllocateUninitializedArray<byte>(checked(indices.Length * row));
        for (int i = 0; i < indices.Length;)
        {
            int run = 1;
            while (i + run < indices.Length && indices[i + run] == indices[i] + run) run++;
            ReadExactly(bytes.AsSpan(i * row, run * row), indices[i]);
            i += run;
        }
        return bytes;
    }

    private void ReadExactly(Span<byte> destination, int firstRow)
    {
        if (_resident is not null)
        {
            _resident.AsSpan(checked(firstRow * RowBytes), destination.Length).CopyTo(destination);
            return;
        }
        long offset = Header.DataOffset + (long)firstRow * RowBytes;
        while (destination.Length > 0)
        {
            int read = RandomAccess.Read(_file, destination, offset);
            // The length was checked at opening; a file cut short since is named, not read as zeros.
            if (read == 0) throw new DatasetFormatException(Path, $"ended at byte {offset} while rows were read: it was truncated after it was opened");
            destination = destination[read..];
            offset += read;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
