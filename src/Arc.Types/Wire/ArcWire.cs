using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace Arc.Types;

/// <summary>
/// Entry points for the Arc wire form (docs/wire-format.md): one MessagePack map per value with a type tag, a
/// version, and tensor parts as dtype + shape + a raw little-endian bin. Decoding accepts untrusted bytes through
/// <see cref="WireReader"/>: anything malformed — truncated, oversized, mistyped, trailing garbage — throws
/// <see cref="ArcFormatException"/> saying what is wrong and at which byte, and no forged length makes it allocate more
/// than the payload holds.
/// </summary>
public static class ArcWire
{
    /// <summary>The format version written under the <c>v</c> key and the only one readers accept.</summary>
    public const int Version = 1;

    /// <summary>
    /// Options for using Arc types inside larger MessagePack messages: <see cref="ArcResolver"/> first, then
    /// <see cref="StandardResolver"/>, with <see cref="MessagePackSecurity.UntrustedData"/> (depth limits, collision-
    /// resistant hashing). No typeless resolver: the bytes never choose which .NET type gets created.
    /// </summary>
    public static MessagePackSerializerOptions Options { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create(ArcResolver.Instance, StandardResolver.Instance))
        .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>The wire form of <paramref name="value"/> as a new byte array.</summary>
    public static byte[] Serialize<T>(T value) where T : IArcData<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        using var scratch = new PooledBufferWriter();
        Serialize(scratch, value);
        return scratch.ToArray();
    }

    /// <summary>Writes the wire form of <paramref name="value"/> to <paramref name="output"/> (e.g. a transport's buffer).</summary>
    public static void Serialize<T>(IBufferWriter<byte> output, T value) where T : IArcData<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        var writer = new MessagePackWriter(output);
        T.WriteWire(ref writer, value);
        writer.Flush();
    }

    /// <summary>Reads exactly one value of type <typeparamref name="T"/>; throws <see cref="ArcFormatException"/> for anything else.</summary>
    public static T Deserialize<T>(ReadOnlyMemory<byte> bytes) where T : IArcData<T>
        => Deserialize<T>(new ReadOnlySequence<byte>(bytes));

    /// <summary>
    /// Reads exactly one value of type <typeparamref name="T"/> with <see cref="WireReader"/>; throws
    /// <see cref="ArcFormatException"/> for anything else, e.g. <c>malformed 'image' (53 bytes, stopped at byte 53):
    /// image.data: …</c>.
    /// </summary>
    public static T Deserialize<T>(ReadOnlySequence<byte> bytes) where T : IArcData<T>
        => WireReader.ReadPayload(bytes, Quoted<T>.Tag, static (ref MessagePackReader reader) => T.ReadWire(ref reader));

    // The tag as error messages quote it, made once per type rather than on every read.
    private static class Quoted<T> where T : IArcData<T>
    {
        public static readonly string Tag = $"'{T.WireTag}'";
    }
}
