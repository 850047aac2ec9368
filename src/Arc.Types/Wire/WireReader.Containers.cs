using System.Buffers;
using System.Buffers.Binary;
using MessagePack;

namespace Arc.Types;

// Maps, arrays, keys, nil, and values the reader walks without knowing their shape (skipped or kept raw).
public static partial class WireReader
{
    /// <summary>Bytes left after the reader's position.</summary>
    public static long Remaining(ref MessagePackReader reader) => reader.Sequence.Length - reader.Consumed;

    /// <summary>Reads a map header whose entry count the remaining bytes could hold (each entry is at least two bytes).</summary>
    public static int ReadMapHeader(ref MessagePackReader reader, string path)
    {
        Expect(ref reader, MessagePackType.Map, path, "a map");
        long count = ReadHeader(ref reader, path, isMap: true);
        if (count > Remaining(ref reader) / 2)
            throw Error(path, $"the map header claims {count} entries but only {Remaining(ref reader)} bytes remain");
        return (int)count;
    }

    /// <summary>Reads an array header whose element count the remaining bytes could hold (each element is at least one byte).</summary>
    public static int ReadArrayHeader(ref MessagePackReader reader, string path)
    {
        Expect(ref reader, MessagePackType.Array, path, "an array");
        long count = ReadHeader(ref reader, path, isMap: false);
        if (count > Remaining(ref reader))
            throw Error(path, $"the array header claims {count} elements but only {Remaining(ref reader)} bytes remain");
        return (int)count;
    }

    /// <summary>Reads the key of a map entry; Arc's maps are keyed by strings.</summary>
    /// <param name="reader">Positioned at the key.</param>
    /// <param name="path">The map's path.</param>
    public static string ReadKey(ref MessagePackReader reader, string path)
    {
        if (reader.End) throw Error(path, "the payload ends before the map does");
        if (reader.NextMessagePackType != MessagePackType.String)
            throw Error(path, $"map keys must be strings but one is {Describe(reader.NextMessagePackType)}");
        return ReadString(ref reader, path.Length == 0 ? "(a key)" : $"{path} (a key)");
    }

    /// <summary>Consumes a nil and returns true, or returns false and consumes nothing.</summary>
    public static bool TryReadNil(ref MessagePackReader reader, string path)
    {
        if (reader.End) throw Error(path, "the payload ends where a value was expected");
        return reader.TryReadNil();
    }

    /// <summary>Reads a nil; <paramref name="what"/> says why nil belongs there.</summary>
    public static void ReadNil(ref MessagePackReader reader, string path, string what = "nil")
    {
        Expect(ref reader, MessagePackType.Nil, path, what);
        reader.ReadNil();
    }

    /// <summary>Skips one value of any type, refusing nesting deeper than <see cref="WireLimits.MaxDepth"/>.</summary>
    public static void Skip(ref MessagePackReader reader, string path) => Skip(ref reader, path, depth: 0);

    /// <summary>
    /// The bytes of one whole value of any type, checked as <see cref="Skip(ref MessagePackReader, string)"/> checks
    /// them; a slice of the payload, not a copy.
    /// </summary>
    public static ReadOnlySequence<byte> ReadRaw(ref MessagePackReader reader, string path)
    {
        var start = reader.Position;
        Skip(ref reader, path);
        return reader.Sequence.Slice(start, reader.Position);
    }

    private static void Skip(ref MessagePackReader reader, string path, int depth)
    {
        if (depth > WireLimits.MaxDepth)
            throw Error(path, $"values nested deeper than {WireLimits.MaxDepth} levels");
        if (reader.End) throw Error(path, "the payload ends where a value was expected");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
                int items = ReadArrayHeader(ref reader, path);
                for (int i = 0; i < items; i++) Skip(ref reader, path, depth + 1);
                break;
            case MessagePackType.Map:
                int entries = ReadMapHeader(ref reader, path);
                for (int i = 0; i < 2 * entries; i++) Skip(ref reader, path, depth + 1);
                break;
            case MessagePackType.String or MessagePackType.Binary:
                CheckDeclaredLength(ref reader, path);
                reader.Skip();
                break;
            case MessagePackType.Unknown:
                throw Error(path, $"byte 0x{reader.NextCode:x2} is not a MessagePack value");
            default:
                // Scalars and extensions: nothing nested, so only their end can be missing.
                try { reader.Skip(); }
                catch (EndOfStreamException e) { throw Error(path, "the payload ends inside a value", e); }
                break;
        }
    }

    // A header's count, read without MessagePack's own check so that a forged count gets this reader's message.
    private static long ReadHeader(ref MessagePackReader reader, string path, bool isMap)
    {
        bool complete;
        int count;
        try
        {
            complete = isMap ? reader.TryReadMapHeader(out count) : reader.TryReadArrayHeader(out count);
        }
        catch (OverflowException e)
        {
            throw Error(path, $"the {(isMap ? "map" : "array")} header claims more than {int.MaxValue} {(isMap ? "entries" : "elements")}", e);
        }
        if (!complete) throw Error(path, $"the payload ends inside {(isMap ? "a map" : "an array")} header");
        return (uint)count; // a 32-bit header holds an unsigned count; MessagePack hands counts past int.MaxValue over as negative

    }

    /// <summary>
    /// Throws unless the string or bin at the reader's position fits in the bytes that remain after its header: the
    /// declared length is read from the header itself, so the message can say what was claimed.
    /// </summary>
    private static void CheckDeclaredLength(ref MessagePackReader reader, string path)
    {
        long declared = DeclaredLength(ref reader, out int headerBytes);
        if (headerBytes == 0) return; // not a string or bin: the caller's type check reports it
        string kind = reader.NextMessagePackType == MessagePackType.Binary ? "bin" : "string";
        long remaining = Remaining(ref reader) - headerBytes;
        if (declared < 0) throw Error(path, $"the payload ends inside a {kind} header");
        if (declared > remaining)
            throw Error(path, $"the {kind} claims {declared} bytes but only {remaining} remain");
    }

    /// <summary>True when the string or bin at the reader's position has all its bytes in the payload.</summary>
    private static bool FitsRemaining(ref MessagePackReader reader)
    {
        long declared = DeclaredLength(ref reader, out int headerBytes);
        return headerBytes > 0 && declared >= 0 && declared <= Remaining(ref reader) - headerBytes;
    }

    /// <summary>
    /// The length a string or bin header at the reader's position declares, and the header's size; -1 when the header
    /// itself is cut short, and a header size of 0 when the next value is neither.
    /// </summary>
    private static long DeclaredLength(ref MessagePackReader reader, out int headerBytes)
    {
        byte code = reader.NextCode;
        int lengthBytes = code switch
        {
            >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr => 0,
            MessagePackCode.Str8 or MessagePackCode.Bin8 => 1,
            MessagePackCode.Str16 or MessagePackCode.Bin16 => 2,
            MessagePackCode.Str32 or MessagePackCode.Bin32 => 4,
            _ => -1,
        };
        headerBytes = lengthBytes + 1;
        if (lengthBytes == 0) return code & 0x1f;
        if (lengthBytes < 0) return 0;
        if (Remaining(ref reader) < headerBytes) return -1;
        Span<byte> header = stackalloc byte[4];
        reader.Sequence.Slice(reader.Position).Slice(1, lengthBytes).CopyTo(header);
        return lengthBytes switch
        {
            1 => header[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(header),
            _ => BinaryPrimitives.ReadUInt32BigEndian(header),
        };
    }
}
