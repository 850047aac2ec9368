using System.Buffers;
using MessagePack;

namespace Arc.Types;

/// <summary>
/// Checked primitives for reading the wire form from untrusted bytes. Every header's length is compared with the
/// bytes that remain before anything is allocated, every value's MessagePack type is checked before it is read,
/// and every failure is an <see cref="ArcFormatException"/> naming the field (the <c>where</c> arguments are
/// paths such as <c>class.scores.shape[1]</c>).
/// </summary>
internal static class WireReader
{
    /// <summary>Bytes left after the reader's position.</summary>
    public static long Remaining(ref MessagePackReader reader) => reader.Sequence.Length - reader.Consumed;

    /// <summary>Reads a map header whose entry count the remaining bytes could possibly hold (each entry is at least two bytes).</summary>
    public static int ReadMapHeader(ref MessagePackReader reader, string where)
    {
        Expect(ref reader, MessagePackType.Map, where, "a map");
        int count = reader.ReadMapHeader();
        if (count < 0 || count > Remaining(ref reader) / 2)
            throw new ArcFormatException($"{where}: the map header claims {(uint)count} entries but only {Remaining(ref reader)} bytes remain");
        return count;
    }

    /// <summary>Reads an array header whose element count the remaining bytes could possibly hold (each element is at least one byte).</summary>
    public static int ReadArrayHeader(ref MessagePackReader reader, string where)
    {
        Expect(ref reader, MessagePackType.Array, where, "an array");
        int count = reader.ReadArrayHeader();
        if (count < 0 || count > Remaining(ref reader))
            throw new ArcFormatException($"{where}: the array header claims {(uint)count} elements but only {Remaining(ref reader)} bytes remain");
        return count;
    }

    /// <summary>Reads a (non-nil) string.</summary>
    public static string ReadString(ref MessagePackReader reader, string where)
    {
        Expect(ref reader, MessagePackType.String, where, "a string");
        var bytes = reader.ReadStringSequence()!.Value; // checks the length against the remaining bytes before slicing
        return WireText.Decode(bytes, where);
    }

    /// <summary>Reads an array of (non-nil) strings.</summary>
    public static string[] ReadStrings(ref MessagePackReader reader, string where)
    {
        int count = ReadArrayHeader(ref reader, where);
        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            // The element's path is built only when reading it fails: a reply's class names are read on every call.
            if (!reader.End && reader.NextMessagePackType == MessagePackType.String)
            {
                var bytes = reader.ReadStringSequence()!.Value;
                result[i] = WireText.TryDecode(bytes, out var text) ? text : WireText.Decode(bytes, $"{where}[{i}]");
            }
            else result[i] = ReadString(ref reader, $"{where}[{i}]");
        }
        return result;
    }

    /// <summary>Reads any MessagePack integer that fits <see cref="int"/> in [<paramref name="min"/>, <see cref="int.MaxValue"/>].</summary>
    public static int ReadInt32(ref MessagePackReader reader, string where, int min = int.MinValue)
    {
        Expect(ref reader, MessagePackType.Integer, where, "an integer");
        long value = reader.NextCode == MessagePackCode.UInt64 ? ReadLargeUnsigned(ref reader) : reader.ReadInt64();
        if (value < min || value > int.MaxValue)
            throw new ArcFormatException($"{where}: {value} is outside {min}..{int.MaxValue}");
        return (int)value;
    }

    /// <summary>Reads any MessagePack number (integer or float) as a double.</summary>
    public static double ReadNumber(ref MessagePackReader reader, string where)
    {
        var type = reader.NextMessagePackType;
        if (type == MessagePackType.Float) return reader.ReadDouble();
        if (type == MessagePackType.Integer)
            return reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
        throw new ArcFormatException($"{where}: expected a number but found {Describe(type)}");
    }

    /// <summary>
    /// Reads a bin into a new array with one bulk copy. The length was checked against the remaining bytes, so a
    /// forged header cannot make this allocate more than the payload itself holds.
    /// </summary>
    public static byte[] ReadBin(ref MessagePackReader reader, string where)
    {
        Expect(ref reader, MessagePackType.Binary, where, "a bin");
        ReadOnlySequence<byte> bytes = reader.ReadBytes()!.Value;
        if (bytes.Length == 0) return Array.Empty<byte>();
        // Every byte is overwritten by the copy, so the zeroing a plain `new byte[]` does would be wasted work.
        var result = GC.AllocateUninitializedArray<byte>(checked((int)bytes.Length));
        bytes.CopyTo(result);
        return result;
    }

    /// <summary>Reads a shape: an array of at most <see cref="WireLimits.MaxRank"/> non-negative int32 dimensions.</summary>
    public static int[] ReadShape(ref MessagePackReader reader, string where)
    {
        int rank = ReadArrayHeader(ref reader, where);
        if (rank > WireLimits.MaxRank)
            throw new ArcFormatException($"{where}: {rank} dimensions is more than the {WireLimits.MaxRank} the wire form allows");
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            // The element's path is built only when reading it fails (every array read reads a shape).
            if (!reader.End && reader.NextMessagePackType == MessagePackType.Integer && reader.NextCode != MessagePackCode.UInt64)
            {
                long value = reader.ReadInt64();
                if (value is >= 0 and <= int.MaxValue) { shape[i] = (int)value; continue; }
                throw new ArcFormatException($"{where}[{i}]: {value} is outside 0..{int.MaxValue}");
            }
            shape[i] = ReadInt32(ref reader, $"{where}[{i}]", min: 0);
        }
        return shape;
    }

    /// <summary>Skips one value of any type, refusing nesting deeper than <see cref="WireLimits.MaxSkipDepth"/>.</summary>
    public static void Skip(ref MessagePackReader reader, string where, int depth = 0)
    {
        if (depth > WireLimits.MaxSkipDepth)
            throw new ArcFormatException($"{where}: values nested deeper than {WireLimits.MaxSkipDepth} levels");
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Array:
                int items = ReadArrayHeader(ref reader, where);
                for (int i = 0; i < items; i++) Skip(ref reader, where, depth + 1);
                break;
            case MessagePackType.Map:
                int entries = ReadMapHeader(ref reader, where);
                for (int i = 0; i < 2 * entries; i++) Skip(ref reader, where, depth + 1);
                break;
            case MessagePackType.Unknown:
                throw new ArcFormatException($"{where}: byte 0x{reader.NextCode:x2} is not a MessagePack value");
            default:
                reader.Skip(); // scalars, strings, bins and extensions: no recursion, lengths checked by the reader
                break;
        }
    }

    /// <summary>Throws unless the next value has MessagePack type <paramref name="type"/>.</summary>
    public static void Expect(ref MessagePackReader reader, MessagePackType type, string where, string what)
    {
        if (reader.End) throw new ArcFormatException($"{where}: the payload ends where {what} was expected");
        var next = reader.NextMessagePackType;
        if (next != type) throw new ArcFormatException($"{where}: expected {what} but found {Describe(next)}");
    }

    /// <summary>Describes a MessagePack type for an error message.</summary>
    public static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.Nil => "nil",
        MessagePackType.Integer => "an integer",
        MessagePackType.Boolean => "a boolean",
        MessagePackType.Float => "a float",
        MessagePackType.String => "a string",
        MessagePackType.Binary => "a bin",
        MessagePackType.Array => "an array",
        MessagePackType.Map => "a map",
        MessagePackType.Extension => "an extension",
        _ => "an invalid byte",
    };

    private static long ReadLargeUnsigned(ref MessagePackReader reader)
    {
        ulong value = reader.ReadUInt64();
        return value > long.MaxValue ? long.MaxValue : (long)value;
    }
}
