using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arc.Types;

/// <summary>
/// A System.Text.Json converter for one Arc data type, built from a writer and a reader of its JSON form. The
/// reader sees a parsed <see cref="JsonElement"/>, so keys may come in any order.
/// </summary>
public sealed class ArcJsonConverter<T> : JsonConverter<T> where T : class, IArcData<T>
{
    private readonly Action<Utf8JsonWriter, T> _write;
    private readonly Func<JsonElement, T> _read;

    /// <summary>A converter from the two halves of a JSON form; <paramref name="read"/> throws <see cref="ArcFormatException"/> for bad input.</summary>
    public ArcJsonConverter(Action<Utf8JsonWriter, T> write, Func<JsonElement, T> read)
    {
        _write = write ?? throw new ArgumentNullException(nameof(write));
        _read = read ?? throw new ArgumentNullException(nameof(read));
    }

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return _read(document.RootElement);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => _write(writer, value);
}
