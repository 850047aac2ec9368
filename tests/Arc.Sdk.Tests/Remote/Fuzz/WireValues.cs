using MessagePack;

namespace Arc.Testing.Fuzz;

/// <summary>One MessagePack value inside a valid frame: where it starts, how long its header and the whole value are.</summary>
/// <param name="Start">Offset of the value's first byte.</param>
/// <param name="HeaderLength">Bytes of the header that declares a length or count (the whole value for scalars).</param>
/// <param name="Length">Bytes of the whole value, header and contents.</param>
/// <param name="Type">The value's MessagePack type.</param>
/// <param name="Count">What the header declares: bytes of a string or bin, items of an array, entries of a map; 0 otherwise.</param>
internal readonly record struct WireValue(int Start, int HeaderLength, int Length, MessagePackType Type, long Count);

/// <summary>
/// Lists every value of a valid frame, outermost first, so that mutations can aim at real boundaries (a header to forge,
/// a value to replace by another type, a map to add a key to) instead of only at random bytes.
/// </summary>
internal static class WireValues
{
    /// <summary>The values of <paramref name="frame"/>, which must be one well-formed MessagePack value.</summary>
    public static WireValue[] Index(byte[] frame)
    {
        var values = new List<WireValue>();
        var reader = new MessagePackReader(frame);
        Visit(ref reader, frame, values);
        if (!reader.End) throw new ArgumentException("a valid frame holds exactly one value", nameof(frame));
        return values.ToArray();
    }

    private static void Visit(ref MessagePackReader reader, byte[] frame, List<WireValue> values)
    {
        int start = (int)reader.Consumed;
        var type = reader.NextMessagePackType;
        int slot = values.Count;
        values.Add(default); // filled in once the value's length is known, keeping outer values before inner ones
        long count = 0;
        int header;
        switch (type)
        {
            case MessagePackType.Array:
                count = reader.ReadArrayHeader();
                header = (int)reader.Consumed - start;
                for (long i = 0; i < count; i++) Visit(ref reader, frame, values);
                break;
            case MessagePackType.Map:
                count = reader.ReadMapHeader();
                header = (int)reader.Consumed - start;
                for (long i = 0; i < 2 * count; i++) Visit(ref reader, frame, values);
                break;
            case MessagePackType.String or MessagePackType.Binary:
                header = LengthHeaderBytes(frame[start]);
                reader.Skip();
                count = (int)reader.Consumed - start - header;
                break;
            default:
                reader.Skip();
                header = (int)reader.Consumed - start;
                break;
        }
        values[slot] = new WireValue(start, header, (int)reader.Consumed - start, type, count);
    }

    /// <summary>The header size of a string or bin from its first byte (fixstr, str8/16/32, bin8/16/32).</summary>
    private static int LengthHeaderBytes(byte code) => code switch
    {
        >= 0xA0 and <= 0xBF => 1,
        0xD9 or 0xC4 => 2,
        0xDA or 0xC5 => 3,
        0xDB or 0xC6 => 5,
        _ => throw new ArgumentException($"0x{code:x2} is not a string or bin header"),
    };
}
