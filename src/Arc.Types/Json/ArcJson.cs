using System.Text.Json;

namespace Arc.Types;

/// <summary>
/// The JSON form of Arc data: the wire form's keys with tensor data as JSON arrays of numbers (see
/// docs/wire-format.md, "JSON form"). For people and tools that read JSON; the MessagePack wire form is the fast path.
/// Bad JSON of any kind throws <see cref="ArcFormatException"/>.
/// </summary>
public static class ArcJson
{
    /// <summary>Options holding converters for every built-in data type; use them to embed Arc values in your own JSON.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The JSON text of <paramref name="value"/>.</summary>
    public static string Serialize<T>(T value) where T : class, IArcData<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureKnown<T>();
        return JsonSerializer.Serialize(value, Options);
    }

    /// <summary>The UTF-8 JSON of <paramref name="value"/>.</summary>
    public static byte[] SerializeToUtf8Bytes<T>(T value) where T : class, IArcData<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureKnown<T>();
        return JsonSerializer.SerializeToUtf8Bytes(value, Options);
    }

    /// <summary>Reads one value from JSON text; throws <see cref="ArcFormatException"/> for anything malformed.</summary>
    public static T Deserialize<T>(string json) where T : class, IArcData<T>
    {
        ArgumentNullException.ThrowIfNull(json);
        return Guard<T>(() => JsonSerializer.Deserialize<T>(json, Options));
    }

    /// <summary>Reads one value from UTF-8 JSON; throws <see cref="ArcFormatException"/> for anything malformed.</summary>
    public static T Deserialize<T>(ReadOnlyMemory<byte> utf8Json) where T : class, IArcData<T>
        => Guard<T>(() => JsonSerializer.Deserialize<T>(utf8Json.Span, Options));

    private static T Guard<T>(Func<T?> read) where T : class, IArcData<T>
    {
        EnsureKnown<T>();
        T? value;
        try { value = read(); }
        catch (ArcFormatException e) { throw new ArcFormatException($"cannot read '{T.WireTag}' JSON: {e.Message}", e); }
        catch (JsonException e) { throw new ArcFormatException($"cannot read '{T.WireTag}' JSON: {e.Message}", e); }
        return value ?? throw new ArcFormatException($"cannot read '{T.WireTag}' JSON: the document is null");
    }

    /// <summary>
    /// Only types with a converter here have a JSON form; anything else would fall through to System.Text.Json's
    /// reflection-based object mapping, which is not the documented form.
    /// </summary>
    private static void EnsureKnown<T>()
    {
        foreach (var converter in Options.Converters)
            if (converter.CanConvert(typeof(T))) return;
        throw new NotSupportedException($"{typeof(T).Name} has no Arc JSON form; add an ArcJsonConverter<{typeof(T).Name}> to your own JsonSerializerOptions");
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new ArcJsonConverter<ImageData>(ArcJsonCodecs.WriteImage, ArcJsonCodecs.ReadImage));
        options.Converters.Add(new ArcJsonConverter<TextData>(ArcJsonCodecs.WriteText, ArcJsonCodecs.ReadText));
        options.Converters.Add(new ArcJsonConverter<TableData>(ArcJsonCodecs.WriteTable, ArcJsonCodecs.ReadTable));
        options.Converters.Add(new ArcJsonConverter<AudioData>(ArcJsonCodecs.WriteAudio, ArcJsonCodecs.ReadAudio));
        options.Converters.Add(new ArcJsonConverter<VideoData>(ArcJsonCodecs.WriteVideo, ArcJsonCodecs.ReadVideo));
        options.Converters.Add(new ArcJsonConverter<ClassData>(ArcJsonCodecs.WriteClass, ArcJsonCodecs.ReadClass));
        options.Converters.Add(new ArcJsonConverter<LabelData>(ArcJsonCodecs.WriteLabel, ArcJsonCodecs.ReadLabel));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
