using System.Buffers.Binary;
using MessagePack;

namespace Arc.Testing.Fuzz;

/// <summary>How a fuzzed frame was made from an endpoint's valid frames.</summary>
internal enum Mutation
{
    /// <summary>A valid frame, unchanged: the worker must answer it as it answers a well-behaved client.</summary>
    Valid,
    /// <summary>Random bytes, sometimes behind a map header so the reader gets past the first byte.</summary>
    RandomBytes,
    /// <summary>A valid frame cut short at a random byte.</summary>
    Truncated,
    /// <summary>A valid frame with random bytes, or a whole second value, after it.</summary>
    TrailingBytes,
    /// <summary>One to four bytes of a valid frame changed, half of them aimed at value headers.</summary>
    FlippedBytes,
    /// <summary>A string, bin, array or map header rewritten to declare another length: one more, far more, 2³¹−1, 2³²−1, less.</summary>
    ForgedLength,
    /// <summary>A value replaced by (or a map given an unknown key holding) arrays or maps nested 60 to 100,000 deep.</summary>
    DeepNesting,
    /// <summary>A value replaced by one of another type: nil, booleans, extreme integers, NaN, long or invalid UTF-8 strings, bins, containers, extensions.</summary>
    WrongType,
    /// <summary>A value replaced by another value of the same frame (a shape where data goes, a key where a map goes).</summary>
    Spliced,
}

/// <summary>
/// Makes hostile frames out of valid ones. Every frame is a pure function of the <see cref="Random"/> it is given, so a
/// failing frame is reproduced from its seed and index alone.
/// </summary>
internal static class FrameMutator
{
    // Weights: mostly structure-aware mutations (they get deep into the readers), some blind ones, a few valid frames.
    private static readonly (Mutation Kind, int Weight)[] Weights =
    [
        (Mutation.Valid, 2), (Mutation.RandomBytes, 10), (Mutation.Truncated, 12), (Mutation.TrailingBytes, 10),
        (Mutation.FlippedBytes, 20), (Mutation.ForgedLength, 14), (Mutation.DeepNesting, 10), (Mutation.WrongType, 14), (Mutation.Spliced, 8),
    ];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    private static readonly int[] Depths = [60, 64, 65, 66, 200, 5_000, 100_000];

    /// <summary>A frame made from one of <paramref name="valid"/> (each with its <see cref="WireValues.Index"/>).</summary>
    public static (Mutation Kind, byte[] Frame) Next(Random random, IReadOnlyList<(byte[] Frame, WireValue[] Values)> valid)
    {
        var (frame, values) = valid[random.Next(valid.Count)];
        var kind = Pick(random);
        byte[] mutated = kind switch
        {
            Mutation.Valid => frame,
            Mutation.RandomBytes => RandomBytes(random),
            Mutation.Truncated => frame[..random.Next(0, frame.Length)],
            Mutation.TrailingBytes => random.Next(4) == 0 ? [.. frame, .. frame] : [.. frame, .. Bytes(random, random.Next(1, 17))],
            Mutation.FlippedBytes => Flip(random, frame, values),
            Mutation.ForgedLength => ForgeLength(random, frame, values),
            Mutation.DeepNesting => Nest(random, frame, values),
            Mutation.WrongType => Replace(frame, Pick(random, values), OtherValue(random)),
            Mutation.Spliced => Replace(frame, Pick(random, values), Slice(frame, Pick(random, values))),
            _ => throw new InvalidOperationException($"unknown mutation {kind}"),
        };
        return (kind, mutated);
    }

    private static Mutation Pick(Random random)
    {
        int roll = random.Next(TotalWeight);
        foreach (var (kind, weight) in Weights)
        {
            if (roll < weight) return kind;
            roll -= weight;
        }
        throw new InvalidOperationException("unreachable");
    }

    private static WireValue Pick(Random random, WireValue[] values) => values[random.Next(values.Length)];

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = Bytes(random, random.Next(0, 300));
        if (bytes.Length > 0 && random.Next(2) == 0) bytes[0] = (byte)(0x80 | random.Next(0, 16)); // a fixmap header
        return bytes;
    }

    private static byte[] Flip(Random random, byte[] frame, WireValue[] values)
    {
        var copy = (byte[])frame.Clone();
        int flips = random.Next(1, 5);
        for (int i = 0; i < flips; i++)
        {
            int at = random.Next(2) == 0 ? Pick(random, values).Start : random.Next(copy.Length);
            copy[at] ^= (byte)random.Next(1, 256);
        }
        return copy;
    }

    /// <summary>Rewrites one length-carrying header in its 32-bit form declaring another length; the contents stay as they were.</summary>
    private static byte[] ForgeLength(Random random, byte[] frame, WireValue[] values)
    {
        var candidates = values.Where(v => v.Type is MessagePackType.String or MessagePackType.Binary or MessagePackType.Array or MessagePackType.Map).ToArray();
        if (candidates.Length == 0) return Flip(random, frame, values);
        var value = candidates[random.Next(candidates.Length)];
        uint declared = random.Next(6) switch
        {
            0 => (uint)value.Count + 1,
            1 => (uint)(value.Count + random.Next(2, 1 << 16)),
            2 => int.MaxValue,
            3 => uint.MaxValue,
            4 => 0x7FFF_FFF0,
            _ => (uint)Math.Max(0, value.Count - 1 - random.Next(0, 4)),
        };
        byte code = value.Type switch
        {
            MessagePackType.String => 0xDB,
            MessagePackType.Binary => 0xC6,
            MessagePackType.Array => 0xDD,
            _ => 0xDF,
        };
        var header = new byte[5];
        header[0] = code;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), declared);
        return [.. frame.AsSpan(0, value.Start), .. header, .. frame.AsSpan(value.Start + value.HeaderLength)];
    }

    /// <summary>Replaces a value by a deep nest, or gives a map an extra unknown key holding one (the readers' skip paths).</summary>
    private static byte[] Nest(Random random, byte[] frame, WireValue[] values)
    {
        byte[] nest = DeepValue(random, Depths[random.Next(Depths.Length)]);
        var maps = values.Where(v => v.Type == MessagePackType.Map).ToArray();
        if (maps.Length == 0 || random.Next(2) == 0) return Replace(frame, Pick(random, values), nest);
        var map = maps[random.Next(maps.Length)];
        // The map's header in its 32-bit form with one more entry, then the new entry, then the old entries.
        var header = new byte[5];
        header[0] = 0xDF;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)map.Count + 1);
        byte[] key = [0xA4, (byte)'z', (byte)'z', (byte)'z', (byte)'z'];
        return [.. frame.AsSpan(0, map.Start), .. header, .. key, .. nest, .. frame.AsSpan(map.Start + map.HeaderLength)];
    }

    private static byte[] DeepValue(Random random, int depth)
    {
        bool maps = random.Next(2) == 0;
        // A one-entry map nests as 0x81, a one-byte key (the integer 1), then the value: two bytes per level.
        var bytes = new byte[(maps ? 2 : 1) * depth + 1];
        int at = 0;
        for (int i = 0; i < depth; i++)
        {
            if (maps) { bytes[at++] = 0x81; bytes[at++] = 0x01; }
            else bytes[at++] = 0x91;
        }
        bytes[at] = 0xC0;
        return bytes;
    }

    /// <summary>A value of some type, often one that a reader does not expect where it finds it.</summary>
    private static byte[] OtherValue(Random random) => random.Next(22) switch
    {
        0 => [0xC0],                                                        // nil
        1 => [0xC3],                                                        // true
        2 => [0x05],                                                        // a small positive integer
        3 => [0xFF],                                                        // -1
        4 => [0xD3, 0x80, 0, 0, 0, 0, 0, 0, 0],                             // long.MinValue
        5 => [0xCF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],        // ulong.MaxValue
        6 => [0xD2, 0x7F, 0xFF, 0xFF, 0xFF],                                // int.MaxValue
        7 => [0xD2, 0x80, 0x00, 0x00, 0x00],                                // int.MinValue
        8 => [0xCB, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0],                          // NaN
        9 => [0xCA, 0x3F, 0xC0, 0, 0],                                      // 1.5f
        10 => [0xA1, (byte)'x'],
        11 => [0xDA, .. BigEndian16(300), .. Bytes(random, 300)],           // 300 bytes that are rarely UTF-8
        12 => LongString(random.Next(2) == 0 ? 70_000 : 5_000),             // longer than an HTTP/2 header block
        13 => [0xC4, 3, 1, 2, 3],                                           // a bin
        14 => [0x90],                                                       // []
        15 => [0x93, 0x01, 0x02, 0x03],                                     // [1, 2, 3]
        16 => [0x80],                                                       // {}
        17 => [0x81, 0xA1, (byte)'a', 0x01],                                // {"a": 1}
        18 => [0xD4, 0x01, 0x00],                                           // fixext 1
        19 => [0xD6, 0xFF, 0, 0, 0, 0],                                     // a timestamp extension
        20 => [0xC1],                                                       // never used in MessagePack
        _ => [0x92, 0xFF, 0xD2, 0x80, 0x00, 0x00, 0x00],                    // [-1, int.MinValue]: a negative shape
    };

    private static byte[] BigEndian16(int value) => [(byte)(value >> 8), (byte)value];

    private static byte[] LongString(int length)
    {
        var bytes = new byte[5 + length];
        bytes[0] = 0xDB;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)length);
        bytes.AsSpan(5).Fill((byte)'k');
        return bytes;
    }

    private static byte[] Slice(byte[] frame, WireValue value) => frame.AsSpan(value.Start, value.Length).ToArray();

    private static byte[] Replace(byte[] frame, WireValue value, byte[] replacement)
        => [.. frame.AsSpan(0, value.Start), .. replacement, .. frame.AsSpan(value.Start + value.Length)];
}
