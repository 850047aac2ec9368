using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Arc.Datasets;

/// <summary>
/// The header of a <c>.npy</c> file (NumPy's format, versions 1.0, 2.0 and 3.0): the magic <c>\x93NUMPY</c>, the
/// version, the header's length and a Python dict literal <c>{'descr': …, 'fortran_order': …, 'shape': (…), }</c>
/// padded with spaces and a newline so that the data starts at a multiple of 64 bytes.
/// </summary>
internal sealed record NpyHeader(NpyDType DType, bool FortranOrder, long[] Shape, int DataOffset, byte Major, byte Minor)
{
    /// <summary>NumPy aligns the data to this many bytes.</summary>
    public const int Alignment = 64;

    /// <summary>
    /// Digits NumPy leaves room for in the first dimension (it pads the header so that a file can grow in place
    /// without moving its data); a streamed writer relies on the same room to write N once the rows are counted.
    /// </summary>
    public const int GrowthDigits = 21;

    /// <summary>The longest header this reader accepts (format 1.0 allows 65,535 bytes; later formats are limited here).</summary>
    public const int MaxHeaderBytes = 1 << 20;

    // Not a u8 literal: "\x93" there is U+0093, two bytes in UTF-8.
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Elements in the array (the product of the shape).</summary>
    public long Elements => Shape.Aggregate(1L, (n, d) => checked(n * d));

    /// <summary>Bytes of data after the header.</summary>
    public long DataBytes => checked(Elements * DType.ItemSize);

    /// <summary>
    /// The header bytes NumPy's <c>np.save</c> writes for an array of <paramref name="dtype"/> and
    /// <paramref name="shape"/> in C order: format 1.0, or 2.0 when the header is longer than 1.0 allows. Its length
    /// does not depend on the first dimension's digits (up to <see cref="GrowthDigits"/>).
    /// </summary>
    public static byte[] Encode(NpyDType dtype, IReadOnlyList<long> shape)
    {
        var dict = new StringBuilder()
            .Append("{'descr': ").Append(dtype.Descr)
            .Append(", 'fortran_order': False, 'shape': ").Append(PythonLiteral.ReprTuple(shape)).Append(", }");
        if (shape.Count > 0)
            dict.Append(' ', GrowthDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        // PythonLiteral keeps the text ASCII, so latin1 (formats 1.0 and 2.0) holds it.
        byte[] text = Encoding.ASCII.GetBytes(dict.ToString());
        foreach (var (major, lengthBytes) in new[] { ((byte)1, 2), ((byte)2, 4) })
        {
            int prefix = Magic.Length + 2 + lengthBytes;
            int padding = Alignment - (prefix + text.Length + 1) % Alignment;
            long headerLength = text.Length + padding + 1;
            if (lengthBytes == 2 && headerLength > ushort.MaxValue) continue;
            var bytes = new byte[prefix + headerLength];
            Magic.CopyTo(bytes);
            bytes[6] = major;
            bytes[7] = 0;
            if (lengthBytes == 2) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), checked((uint)headerLength));
            text.CopyTo(bytes, prefix);
            bytes.AsSpan(prefix + text.Length, padding).Fill((byte)' ');
            bytes[^1] = (byte)'\n';
            return bytes;
        }
        throw new InvalidOperationException("unreachable: format 2.0 holds any header this writer makes");
    }

    /// <summary>
    /// Reads and checks the header of <paramref name="file"/> (<paramref name="path"/> names it in errors): the magic,
    /// a known version, a dict with exactly <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, a dtype Arc holds and a
    /// shape of non-negative dimensions.
    /// </summary>
    /// <exception cref="DatasetFormatException">Anything else; the message says what.</exception>
    public static NpyHeader Read(SafeFileHandle file, string path)
    {
        long length = RandomAccess.GetLength(file);
        Span<byte> start = stackalloc byte[12];
        int got = RandomAccess.Read(file, start, 0);
        if (got < 10 || !start[..6].SequenceEqual(Magic))
            throw new DatasetFormatException(path, got < 6 ? $"is {length} bytes long, too short for a .npy file" : "is not a .npy file (it does not start with \\x93NUMPY)");
        byte major = start[6], minor = start[7];
        if (major is not (1 or 2 or 3) || minor != 0)
            throw new DatasetFormatException(path, $"is .npy format version {major}.{minor}; Arc reads 1.0, 2.0 and 3.0");
        int lengthBytes = major == 1 ? 2 : 4;
        if (got < 8 + lengthBytes) throw new DatasetFormatException(path, "is truncated inside its header");
        long headerLength = lengthBytes == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(start[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(start[8..]);
        if (headerLength > MaxHeaderBytes)
            throw new DatasetFormatException(path, $"declares a header of {headerLength} bytes; Arc reads headers up to {MaxHeaderBytes}");
        int dataOffset = 8 + lengthBytes + (int)headerLength;
        if (dataOffset > length)
            throw new DatasetFormatException(path, $"is truncated: its header needs {dataOffset} bytes but the file has {length}");
        var headerBytes = new byte[headerLength];
        RandomAccess.Read(file, headerBytes, 8 + lengthBytes);
        string text;
        try
        {
            text = major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException(path, "has a format 3.0 header that is not UTF-8", e);
        }

        object? parsed;
        try { parsed = PythonLiteral.Parse(text); }
        catch (FormatException e) { throw new DatasetFormatException(path, $"has a header that is not a Python literal ({e.Message})", e); }
        if (parsed is not PythonDict dict)
            throw new DatasetFormatException(path, "has a header that is not a dict");
        var keys = dict.Entries.Select(e => e.Key as string).ToArray();
        if (keys.Length != 3 || !keys.Order(StringComparer.Ordinal).SequenceEqual(["descr", "fortran_order", "shape"]))
            throw new DatasetFormatException(path, $"has header keys [{string.Join(", ", keys.Select(k => k ?? "?"))}]; a .npy header has exactly descr, fortran_order and shape");
        object? Entry(string key) => dict.Entries.First(e => (string?)e.Key == key).Value;

        NpyDType dtype;
        try { dtype = NpyDType.FromDescr(Entry("descr")); }
        catch (FormatException e) { throw new DatasetFormatException(path, e.Message, e); }
        if (Entry("fortran_order") is not bool fortran)
            throw new DatasetFormatException(path, "has a fortran_order that is not True or False");
        if (Entry("shape") is not PythonTuple tuple || tuple.Items.Any(d => d is not long))
            throw new DatasetFormatException(path, "has a shape that is not a tuple of integers");
        var shape = tuple.Items.Cast<long>().ToArray();
        if (shape.Any(d => d < 0))
            throw new DatasetFormatException(path, $"has a negative dimension in its shape {PythonLiteral.ReprTuple(shape)}");
        var header = new NpyHeader(dtype, fortran, shape, dataOffset, major, minor);
        try { _ = header.DataBytes; }
        catch (OverflowException) { throw new DatasetFormatException(path, $"has a shape {PythonLiteral.ReprTuple(shape)} whose size overflows"); }
        return header;
    }
}
