using MessagePack;
using MessagePack.Formatters;
using Arc.Types;

namespace Arc.Sdk;

/// <summary>
/// Reads and writes one value of <typeparamref name="T"/> in Arc's MessagePack wire form. Generated formatters for
/// hyperparameters and pod arguments are built from these; <see cref="WireCodecs"/> has one for every supported type.
/// </summary>
/// <remarks>
/// Unlike a plain <see cref="IMessagePackFormatter{T}"/>, <see cref="Read"/> takes the <em>path</em> of the value
/// (e.g. <c>hidden</c> or <c>sizes[]</c>) so that a wrong type names the field that carried it.
/// </remarks>
/// <typeparam name="T">The value's .NET type.</typeparam>
public abstract class WireCodec<T> : IMessagePackFormatter<T>
{
    /// <summary>Writes <paramref name="value"/>.</summary>
    public abstract void Write(ref MessagePackWriter writer, T value);

    /// <summary>Reads one value; throws <see cref="Arc.Types.ArcFormatException"/> naming <paramref name="path"/> when the bytes hold something else.</summary>
    /// <param name="reader">Positioned at the value.</param>
    /// <param name="path">Where the value sits, for error messages (a parameter name, <c>name[]</c> for array elements).</param>
    public abstract T Read(ref MessagePackReader reader, string path);

    /// <inheritdoc />
    void IMessagePackFormatter<T>.Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) => Write(ref writer, value);

    /// <inheritdoc />
    T IMessagePackFormatter<T>.Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => Read(ref reader, "value");
}
