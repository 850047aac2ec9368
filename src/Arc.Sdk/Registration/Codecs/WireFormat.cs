using System.Buffers;
using MessagePack;
using MessagePack.Formatters;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Turns one value into a complete MessagePack message and back with a given formatter, reporting every kind of
/// malformed input (wrong types, truncation, trailing bytes) as an <see cref="ArcFormatException"/>.
/// </summary>
public static class WireFormat
{
    /// <summary>The bytes of <paramref name="value"/> written by <paramref name="formatter"/>.</summary>
    public static byte[] Serialize<T>(IMessagePackFormatter<T> formatter, T value)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        formatter.Serialize(ref writer, value, MessagePackSerializerOptions.Standard);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads exactly one value from <paramref name="bytes"/>; <paramref name="what"/> starts every error message.</summary>
    /// <exception cref="ArcFormatException">The bytes are not one well-formed value of <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(IMessagePackFormatter<T> formatter, ReadOnlyMemory<byte> bytes, string what)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var reader = new MessagePackReader(bytes);
        try
        {
            T value = formatter.Deserialize(ref reader, MessagePackSerializerOptions.Standard);
            if (!reader.End)
                throw new ArcFormatException($"{what}: {bytes.Length - reader.Consumed} unexpected bytes after the value");
            return value;
        }
        catch (ArcFormatException e) when (!e.Message.StartsWith(what, StringComparison.Ordinal))
        {
            throw new ArcFormatException($"{what}: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new ArcFormatException($"{what}: the bytes end in the middle of a value (truncated or a forged length)", e);
        }
        catch (MessagePackSerializationException e)
        {
            throw new ArcFormatException($"{what}: not valid MessagePack ({e.Message})", e);
        }
    }
}
