using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Arc.Tracking.Server;

/// <summary>
/// The JSON text that stores keep small maps in (environment reports, checkpoint and version metrics): an object of
/// strings or of numbers. JSON has no NaN or infinity, so those doubles are written as the strings <c>"NaN"</c>,
/// <c>"Infinity"</c> and <c>"-Infinity"</c> and read back as the doubles (System.Text.Json's named floating-point
/// literals). Hand-written over Utf8JsonWriter/Reader: no reflection.
/// </summary>
internal static class JsonMaps
{
    // The text is stored and served as JSON, never put in HTML: '+', '<' or 'é' stay themselves instead of \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyDictionary<string, string> map)
        => WriteObject(writer =>
        {
            foreach (var (key, value) in map) writer.WriteString(key, value);
        });

    public static string Write(IReadOnlyDictionary<string, double> map)
        => WriteObject(writer =>
        {
            foreach (var (key, value) in map)
            {
                writer.WritePropertyName(key);
                WriteDouble(writer, value);
            }
        });

    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    public static Dictionary<string, string> ReadStrings(string json)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        ReadObject(json, (key, reader) => map[key] = reader.GetString() ?? throw Corrupt(json));
        return map;
    }

    public static Dictionary<string, double> ReadDoubles(string json)
    {
        var map = new Dictionary<string, double>(StringComparer.Ordinal);
        ReadObject(json, (key, reader) => map[key] = reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetDouble(),
            JsonTokenType.String => double.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => throw Corrupt(json),
        });
        return map;
    }

    public static string WriteObject(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private delegate void ValueReader(string key, Utf8JsonReader reader);

    private static void ReadObject(string json, ValueReader read)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Corrupt(json);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            if (!reader.Read()) throw Corrupt(json);
            read(key, reader);
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw Corrupt(json);
    }

    private static InvalidDataException Corrupt(string json)
        => new($"a stored map is not a JSON object of strings or numbers: {(json.Length > 200 ? json[..200] + "…" : json)}");
}
