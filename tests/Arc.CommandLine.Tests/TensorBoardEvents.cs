using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Arc.CommandLine.Tests;

/// <summary>
/// Reads TensorBoard event files independently of the writer: TFRecord framing (length, masked CRC-32C of the length,
/// payload, masked CRC-32C of the payload; both checked) around <c>Event</c> protobuf messages, of which only the step
/// and the summary's scalar values (tag, simple_value) are decoded.
/// </summary>
internal static class TensorBoardEvents
{
    public sealed record Scalar(string Tag, long Step, float Value);

    public static List<Scalar> Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        var scalars = new List<Scalar>();
        int at = 0;
        while (at < file.Length)
        {
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
            Assert.Equal(Masked(Crc32C(file.AsSpan(at, 8))), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)));
            var data = file.AsSpan(at + 12, checked((int)length));
            Assert.Equal(Masked(Crc32C(data)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length)));
            ReadEvent(data, scalars);
            at += 12 + (int)length + 4;
        }
        return scalars;
    }

    private static void ReadEvent(ReadOnlySpan<byte> e, List<Scalar> scalars)
    {
        long step = 0;
        var summaries = new List<byte[]>();
        for (int at = 0; at < e.Length;)
        {
            var (field, wire) = Key(e, ref at);
            if (field == 2 && wire == 0) step = (long)Varint(e, ref at);
            else if (field == 5 && wire == 2) summaries.Add(Bytes(e, ref at).ToArray());
            else Skip(e, ref at, wire);
        }
        foreach (var summary in summaries)
            for (int at = 0; at < summary.Length;)
            {
                var (field, wire) = Key(summary, ref at);
                if (field != 1 || wire != 2) { Skip(summary, ref at, wire); continue; }
                var value = Bytes(summary, ref at);
                string? tag = null;
                float? simple = null;
                for (int v = 0; v < value.Length;)
                {
                    var (f, w) = Key(value, ref v);
                    if (f == 1 && w == 2) tag = Encoding.UTF8.GetString(Bytes(value, ref v));
                    else if (f == 2 && w == 5) { simple = BinaryPrimitives.ReadSingleLittleEndian(value[v..]); v += 4; }
                    else Skip(value, ref v, w);
                }
                if (tag is not null && simple is float s) scalars.Add(new Scalar(tag, step, s));
            }
    }

    private static (int Field, int Wire) Key(ReadOnlySpan<byte> b, ref int at)
    {
        ulong key = Varint(b, ref at);
        return ((int)(key >> 3), (int)(key & 7));
    }

    private static ulong Varint(ReadOnlySpan<byte> b, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte next = b[at++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80) return value;
        }
    }

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> b, ref int at)
    {
        int length = (int)Varint(b, ref at);
        var slice = b.Slice(at, length);
        at += length;
        return slice;
    }

    private static void Skip(ReadOnlySpan<byte> b, ref int at, int wire)
    {
        switch (wire)
        {
            case 0: Varint(b, ref at); break;
            case 1: at += 8; break;
            case 2: Bytes(b, ref at); break;
            case 5: at += 4; break;
            default: throw new InvalidDataException($"protobuf wire type {wire} at {at}");
        }
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    private static uint Masked(uint crc) => unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
}
