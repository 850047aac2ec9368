using System.Buffers;
using System.Globalization;
using System.Numerics;
using MessagePack;

namespace Arc.Types;

// Strings, bins, booleans and numbers: the MessagePack type is checked before each read, a string's or bin's length
// before it is sliced, an integer's range before it is narrowed.
public static partial class WireReader
{
    /// <summary>Reads a (non-nil) string; its bytes must be valid UTF-8.</summary>
    public static string ReadString(ref MessagePackReader reader, string path)
    {
        Expect(ref reader, MessagePackType.String, path, "a string");
        CheckDeclaredLength(ref reader, path);
        var bytes = reader.ReadStringSequence()!.Value;
        return WireText.Decode(bytes, path);
    }

    /// <summary>Reads an array of (non-nil) strings.</summary>
    public static string[] ReadStrings(ref MessagePackReader reader, string path)
    {
        int count = ReadArrayHeader(ref reader, path);
        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            // The element's path is built only when reading it fails: a reply's class names are read on every call.
            if (!reader.End && reader.NextMessagePackType == MessagePackType.String && FitsRemaining(ref reader))
            {
                var bytes = reader.ReadStringSequence()!.Value;
                result[i] = WireText.TryDecode(bytes, out var text) ? text : WireText.Decode(bytes, Element(path, i));
            }
            else result[i] = ReadString(ref reader, Element(path, i));
        }
        return result;
    }

    /// <summary>
    /// Reads a bin into a new array with one bulk copy. The length was checked against the remaining bytes, so a
    /// forged header cannot make this allocate more than the payload itself holds.
    /// </summary>
    public static byte[] ReadBin(ref MessagePackReader reader, string path)
    {
        Expect(ref reader, MessagePackType.Binary, path, "a bin");
        CheckDeclaredLength(ref reader, path);
        ReadOnlySequence<byte> bytes = reader.ReadBytes()!.Value;
        if (bytes.Length == 0) return Array.Empty<byte>();
        // Every byte is overwritten by the copy, so the zeroing a plain `new byte[]` does would be wasted work.
        var result = GC.AllocateUninitializedArray<byte>(checked((int)bytes.Length));
        bytes.CopyTo(result);
        return result;
    }

    /// <summary>Reads a boolean.</summary>
    public static bool ReadBoolean(ref MessagePackReader reader, string path)
    {
        Expect(ref reader, MessagePackType.Boolean, path, "a boolean");
        return reader.ReadBoolean();
    }

    /// <summary>Reads any MessagePack integer that lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int ReadInt32(ref MessagePackReader reader, string path, int min = int.MinValue, int max = int.MaxValue)
        => (int)ReadInteger(ref reader, path, "an integer", min, max);

    /// <summary>Reads any MessagePack integer that lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long ReadInt64(ref MessagePackReader reader, string path, long min = long.MinValue, long max = long.MaxValue)
        => (long)ReadInteger(ref reader, path, "an integer", min, max);

    /// <summary>Reads any MessagePack integer that fits <typeparamref name="T"/> (<c>Int32</c>, <c>Byte</c>, <c>UInt64</c>, …).</summary>
    public static T ReadInteger<T>(ref MessagePackReader reader, string path) where T : IBinaryInteger<T>, IMinMaxValue<T>
        => T.CreateTruncating(ReadInteger(ref reader, path, IntegerRange<T>.What, IntegerRange<T>.Min, IntegerRange<T>.Max));

    /// <summary>Reads any MessagePack number (integer or float) as a double.</summary>
    public static double ReadNumber(ref MessagePackReader reader, string path)
    {
        if (reader.End) throw Error(path, "the payload ends where a number was expected");
        var type = reader.NextMessagePackType;
        if (type == MessagePackType.Float) return reader.ReadDouble();
        if (type == MessagePackType.Integer) return (double)ReadAnyInteger(ref reader);
        throw WrongType(path, "a number", type);
    }

    /// <summary>Reads a shape: an array of at most <see cref="WireLimits.MaxRank"/> non-negative int32 dimensions.</summary>
    public static int[] ReadShape(ref MessagePackReader reader, string path)
    {
        int rank = ReadArrayHeader(ref reader, path);
        if (rank > WireLimits.MaxRank)
            throw Error(path, $"{rank} dimensions is more than the {WireLimits.MaxRank} the wire form allows");
        var shape = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            // The element's path is built only when reading it fails (every array read reads a shape).
            if (!reader.End && reader.NextMessagePackType == MessagePackType.Integer && reader.NextCode != MessagePackCode.UInt64)
            {
                long value = reader.ReadInt64();
                if (value is >= 0 and <= int.MaxValue) { shape[i] = (int)value; continue; }
                throw OutOfRange(Element(path, i), value, 0, int.MaxValue);
            }
            shape[i] = ReadInt32(ref reader, Element(path, i), min: 0);
        }
        return shape;
    }

    private static Int128 ReadInteger(ref MessagePackReader reader, string path, string what, Int128 min, Int128 max)
    {
        Expect(ref reader, MessagePackType.Integer, path, what);
        Int128 value = ReadAnyInteger(ref reader);
        if (value < min || value > max) throw OutOfRange(path, value, min, max);
        return value;
    }

    // Every MessagePack integer form fits Int128: uint64 is the only one past long's range.
    private static Int128 ReadAnyInteger(ref MessagePackReader reader)
        => reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();

    private static ArcFormatException OutOfRange(string path, Int128 value, Int128 min, Int128 max)
        => Error(path, string.Create(CultureInfo.InvariantCulture, $"{value} is outside {min}..{max}"));

    // What an integer of type T is called in errors, and its range, made once per type rather than on every read.
    private static class IntegerRange<T> where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        public static readonly string What = $"an integer ({typeof(T).Name})";
        public static readonly Int128 Min = Int128.CreateTruncating(T.MinValue);
        public static readonly Int128 Max = Int128.CreateTruncating(T.MaxValue);
    }
}
