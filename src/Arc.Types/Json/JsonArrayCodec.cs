using System.Text.Json;

namespace Arc.Types;

/// <summary>
/// The JSON form of a tensor part: <c>"dtype"</c>, <c>"shape"</c> and <c>"data"</c> as a flat, row-major JSON array.
/// Floats are written in their shortest round-trip form so that they read back bit for bit; NaN and the infinities,
/// which JSON numbers cannot express, are the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// Bool elements are <c>true</c>/<c>false</c>.
/// </summary>
internal static class JsonArrayCodec
{
    /// <summary>Writes an array as an object of its own.</summary>
    public static void Write(Utf8JsonWriter writer, ArcArray array)
    {
        writer.WriteStartObject();
        WriteFields(writer, array);
        writer.WriteEndObject();
    }

    /// <summary>Writes the three properties into an object the caller has started.</summary>
    public static void WriteFields(Utf8JsonWriter writer, ArcArray array)
    {
        writer.WriteString("dtype", ArcDTypes.WireName(array.DType));
        writer.WriteStartArray("shape");
        foreach (int d in array.Shape) writer.WriteNumberValue(d);
        writer.WriteEndArray();
        writer.WriteStartArray("data");
        switch (array.DType)
        {
            case ArcDType.Float32: foreach (float x in array.AsSpan<float>()) WriteFloat(writer, x); break;
            case ArcDType.Float64: foreach (double x in array.AsSpan<double>()) WriteDouble(writer, x); break;
            case ArcDType.Int32: foreach (int x in array.AsSpan<int>()) writer.WriteNumberValue(x); break;
            case ArcDType.Int64: foreach (long x in array.AsSpan<long>()) writer.WriteNumberValue(x); break;
            case ArcDType.UInt8: foreach (byte x in array.AsSpan<byte>()) writer.WriteNumberValue(x); break;
            case ArcDType.Bool: foreach (bool x in array.AsSpan<bool>()) writer.WriteBooleanValue(x); break;
        }
        writer.WriteEndArray();
    }

    /// <summary>Reads an object written by <see cref="Write"/>.</summary>
    public static ArcArray Read(JsonElement element, string where) => ReadFields(JsonFields.Open(element, where, tag: null));

    /// <summary>Reads <c>dtype</c>, <c>shape</c> and <c>data</c> from an object's properties.</summary>
    public static ArcArray ReadFields(JsonFields fields)
    {
        string name = JsonRead.String(fields.Required("dtype"), fields.Path("dtype"));
        if (!ArcDTypes.TryParse(name, out var dtype))
            throw new ArcFormatException($"{fields.Path("dtype")}: unknown dtype '{name}'; expected float32, float64, int32, int64, uint8 or bool");
        var shape = JsonRead.Shape(fields.Required("shape"), fields.Path("shape"));
        var data = fields.Required("data");
        string where = fields.Path("data");
        if (data.ValueKind != JsonValueKind.Array) throw JsonRead.Wrong(data, where, "an array of numbers");
        long expected = ExpectedLength(shape, dtype, where);
        if (data.GetArrayLength() != expected)
            throw new ArcFormatException($"{where}: shape [{string.Join(", ", shape)}] needs {expected} elements but the data has {data.GetArrayLength()}");
        return dtype switch
        {
            ArcDType.Float32 => ArcArray.From(Elements(data, where, ReadFloat), shape),
            ArcDType.Float64 => ArcArray.From(Elements(data, where, ReadDouble), shape),
            ArcDType.Int32 => ArcArray.From(Elements(data, where, (e, w) => (int)ReadInteger(e, w, int.MinValue, int.MaxValue)), shape),
            ArcDType.Int64 => ArcArray.From(Elements(data, where, (e, w) => ReadInteger(e, w, long.MinValue, long.MaxValue)), shape),
            ArcDType.UInt8 => ArcArray.From(Elements(data, where, (e, w) => (byte)ReadInteger(e, w, 0, 255)), shape),
            _ => ArcArray.From(Elements(data, where, ReadBool), shape),
        };
    }

    private static long ExpectedLength(int[] shape, ArcDType dtype, string where)
    {
        try { return ArcArray.CheckShape(shape, null); }
        catch (ArgumentException e) { throw new ArcFormatException($"{where}: {e.Message} ({ArcDTypes.WireName(dtype)})", e); }
    }

    private static T[] Elements<T>(JsonElement data, string where, Func<JsonElement, string, T> read)
    {
        var result = new T[data.GetArrayLength()];
        int i = 0;
        foreach (var item in data.EnumerateArray())
        {
            result[i] = read(item, where + "[" + i + "]");
            i++;
        }
        return result;
    }

    private static void WriteFloat(Utf8JsonWriter writer, float x)
    {
        if (float.IsFinite(x)) writer.WriteNumberValue(x);
        else writer.WriteStringValue(float.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
    }

    private static void WriteDouble(Utf8JsonWriter writer, double x)
    {
        if (double.IsFinite(x)) writer.WriteNumberValue(x);
        else writer.WriteStringValue(double.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
    }

    private static float ReadFloat(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.Number)
            return e.TryGetSingle(out float x) && float.IsFinite(x) ? x : throw new ArcFormatException($"{where}: {e.GetRawText()} does not fit float32");
        return (float)NamedFloat(e, where);
    }

    private static double ReadDouble(JsonElement e, string where)
    {
        if (e.ValueKind == JsonValueKind.Number)
            return e.TryGetDouble(out double x) && double.IsFinite(x) ? x : throw new ArcFormatException($"{where}: {e.GetRawText()} does not fit float64");
        return NamedFloat(e, where);
    }

    private static double NamedFloat(JsonElement e, string where) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => throw new ArcFormatException($"{where}: the string \"{s}\" is not a number (only \"NaN\", \"Infinity\" and \"-Infinity\" are)"),
        }
        : throw JsonRead.Wrong(e, where, "a number");

    private static long ReadInteger(JsonElement e, string where, long min, long max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long x)) throw JsonRead.Wrong(e, where, "an integer");
        if (x < min || x > max) throw new ArcFormatException($"{where}: {x} is outside {min}..{max}");
        return x;
    }

    private static bool ReadBool(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw JsonRead.Wrong(e, where, "true or false"),
    };
}
