using MessagePack;
using MessagePack.Formatters;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Turns one value into a complete MessagePack message and back with a given formatter. Reading goes through
/// <see cref="WireReader.ReadPayload{T}(ReadOnlyMemory{byte}, string, WireRead{T})"/>, so every kind of malformed input
/// (wrong types, truncation, forged lengths, trailing bytes) is an <see cref="ArcFormatException"/> of the same shape as
/// everywhere else: <c>malformed &lt;what&gt; (n bytes, stopped at byte k): path: problem</c>.
/// </summary>
public static class WireFormat
{
    /// <summary>The bytes of <paramref name="value"/> written by <paramref name="formatter"/>.</summary>
    public static byte[] Serialize<T>(IMessagePackFormatter<T> formatter, T value)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        using var buffer = new PooledBufferWriter();
        var writer = new MessagePackWriter(buffer);
        formatter.Serialize(ref writer, value, ArcFormatterOptions.Instance);
        writer.Flush();
        return buffer.ToArray();
    }

    /// <summary>Reads exactly one value from <paramref name="bytes"/>; <paramref name="what"/> names it in every error message.</summary>
    /// <exception cref="ArcFormatException">The bytes are not one well-formed value of <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(IMessagePackFormatter<T> formatter, ReadOnlyMemory<byte> bytes, string what)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        return WireReader.ReadPayload(bytes, what, (ref MessagePackReader reader) => formatter.Deserialize(ref reader, ArcFormatterOptions.Instance));
    }
}
