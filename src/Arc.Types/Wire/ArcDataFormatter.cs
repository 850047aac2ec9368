using MessagePack;
using MessagePack.Formatters;

namespace Arc.Types;

/// <summary>
/// The MessagePack formatter of any <see cref="IArcData{TSelf}"/> type: calls its static <c>WriteWire</c> /
/// <c>ReadWire</c>, so an Arc value can sit inside a larger MessagePack message (with <see cref="ArcWire.Options"/>).
/// A nil reads as null.
/// </summary>
public sealed class ArcDataFormatter<T> : IMessagePackFormatter<T> where T : IArcData<T>
{
    /// <summary>The one instance (the formatter has no state).</summary>
    public static readonly ArcDataFormatter<T> Instance = new();

    private ArcDataFormatter() { }

    /// <inheritdoc />
    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null) { writer.WriteNil(); return; }
        T.WriteWire(ref writer, value);
    }

    /// <inheritdoc />
    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (WireReader.TryReadNil(ref reader, T.WireTag)) return default!;
        options.Security.DepthStep(ref reader);
        try { return T.ReadWire(ref reader); }
        finally { reader.Depth--; }
    }
}
