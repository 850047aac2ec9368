using System.Buffers;
using MessagePack;
using MessagePack.Resolvers;

namespace Arc.Types;

/// <summary>
/// Entry points for the Arc wire form (docs/wire-format.md): one MessagePack map per value with a type tag, a
/// version, and tensor parts as dtype + shape + a raw little-endian bin. Decoding accepts untrusted bytes: anything
/// malformed — truncated, oversized, mistyped, trailing garbage — throws <see cref="ArcFormatException"/> saying what
/// is wrong and at which byte, and no forged length makes it allocate more than the payload holds.
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
        // Copied into an exact-size array; every byte is overwritten, so the array need not be zeroed first.
        var result = GC.AllocateUninitializedArray<byte>(scratch.WrittenSpan.Length);
        scratch.WrittenSpan.CopyTo(result);
        return result;
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

    /// <summary>Reads exactly one value of type <typeparamref name="T"/>; throws <see cref="ArcFormatException"/> for anything else.</summary>
    public static T Deserialize<T>(ReadOnlySequence<byte> bytes) where T : IArcData<T>
    {
        var reader = new MessagePackReader(bytes);
        try
        {
            if (bytes.IsEmpty) throw new ArcFormatException("the payload is empty");
            T value = T.ReadWire(ref reader);
            if (!reader.End)
                throw new ArcFormatException($"{bytes.Length - reader.Consumed} unexpected bytes follow the value");
            return value;
        }
        catch (Exception e) when (IsDecodeError(e))
        {
            throw new ArcFormatException(
                $"cannot read '{T.WireTag}' from {bytes.Length} bytes: {Describe(e)} (stopped at byte {reader.Consumed})", e);
        }
    }

    /// <summary>The errors that malformed input can provoke in the reader, all of which become <see cref="ArcFormatException"/>.</summary>
    internal static bool IsDecodeError(Exception e) => e is ArcFormatException
        or EndOfStreamException
        or MessagePackSerializationException
        or OverflowException
        or ArgumentException
        or InvalidOperationException
        or FormatException;

    private static string Describe(Exception e) => e switch
    {
        ArcFormatException => e.Message,
        EndOfStreamException => "the payload is truncated (it ends inside a value)",
        OverflowException => $"a number or length is out of range ({e.Message})",
        _ => e.Message,
    };
}
