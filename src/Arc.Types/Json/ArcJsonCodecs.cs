using System.Text.Json;

namespace Arc.Types;

/// <summary>
/// The JSON form of each built-in type: the same keys as its wire form (docs/wire-format.md), with tensor
/// <c>data</c> as a JSON array of numbers instead of a bin.
/// </summary>
internal static class ArcJsonCodecs
{
    public static void WriteImage(Utf8JsonWriter w, ImageData value)
    {
        Header(w, ImageData.WireTag);
        JsonArrayCodec.WriteFields(w, value.Pixels);
        w.WriteEndObject();
    }

    public static ImageData ReadImage(JsonElement e)
    {
        var f = JsonFields.Open(e, ImageData.WireTag, ImageData.WireTag);
        var pixels = JsonArrayCodec.ReadFields(f);
        return f.Construct(() => new ImageData(pixels));
    }

    public static void WriteClass(Utf8JsonWriter w, ClassData value)
    {
        Header(w, ClassData.WireTag);
        JsonArrayCodec.WriteFields(w, value.Indices);
        WriteStrings(w, "names", value.ClassNames);
        w.WritePropertyName("scores");
        if (value.Scores is null) w.WriteNullValue();
        else JsonArrayCodec.Write(w, value.Scores);
        w.WriteEndObject();
    }

    public static ClassData ReadClass(JsonElement e)
    {
        var f = JsonFields.Open(e, ClassData.WireTag, ClassData.WireTag);
        var indices = JsonArrayCodec.ReadFields(f);
        var names = JsonRead.Strings(f.Required("names"), f.Path("names"));
        var scores = f.TryGet("scores", out var s) ? JsonArrayCodec.Read(s, f.Path("scores")) : null;
        return f.Construct(() => new ClassData(indices, names, scores));
    }

    public static void WriteText(Utf8JsonWriter w, TextData value)
    {
        Header(w, TextData.WireTag);
        WriteStrings(w, "texts", value.Texts);
        w.WriteEndObject();
    }

    public static TextData ReadText(JsonElement e)
    {
        var f = JsonFields.Open(e, TextData.WireTag, TextData.WireTag);
        return new TextData(JsonRead.Strings(f.Required("texts"), f.Path("texts")));
    }

    public static void WriteTable(Utf8JsonWriter w, TableData value)
    {
        Header(w, TableData.WireTag);
        w.WriteNumber("rows", value.Count);
        w.WriteStartArray("columns");
        foreach (var c in value.Columns)
        {
            w.WriteStartObject();
            w.WriteString("name", c.Name);
            if (c.IsString)
            {
                w.WriteString("dtype", TableColumn.StringDType);
                WriteStrings(w, "values", c.Strings!);
            }
            else
            {
                JsonArrayCodec.WriteFields(w, c.Values!);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static TableData ReadTable(JsonElement e)
    {
        var f = JsonFields.Open(e, TableData.WireTag, TableData.WireTag);
        int rows = JsonRead.Int32(f.Required("rows"), f.Path("rows"), min: 0);
        var list = f.Required("columns");
        if (list.ValueKind != JsonValueKind.Array) throw JsonRead.Wrong(list, f.Path("columns"), "an array of columns");
        var columns = new TableColumn[list.GetArrayLength()];
        int i = 0;
        foreach (var item in list.EnumerateArray())
        {
            columns[i] = ReadColumn(item, $"{f.Path("columns")}[{i}]");
            i++;
        }
        return f.Construct(() => new TableData(rows, columns));
    }

    private static TableColumn ReadColumn(JsonElement e, string where)
    {
        var f = JsonFields.Open(e, where, tag: null);
        string name = JsonRead.String(f.Required("name"), f.Path("name"));
        string dtype = JsonRead.String(f.Required("dtype"), f.Path("dtype"));
        if (dtype == TableColumn.StringDType)
        {
            if (f.Has("shape") || f.Has("data"))
                throw new ArcFormatException($"{where}: a string column carries its rows in 'values', not 'shape'/'data'");
            var values = JsonRead.Strings(f.Required("values"), f.Path("values"));
            return TableColumn.FromStrings(name, values);
        }
        if (f.Has("values"))
            throw new ArcFormatException($"{where}: a {dtype} column carries its rows in 'shape'/'data', not 'values'");
        var array = JsonArrayCodec.ReadFields(f);
        return f.Construct(() => TableColumn.FromArray(name, array));
    }

    public static void WriteAudio(Utf8JsonWriter w, AudioData value)
    {
        Header(w, AudioData.WireTag);
        JsonArrayCodec.WriteFields(w, value.Samples);
        w.WriteNumber("rate", value.SampleRate);
        w.WriteEndObject();
    }

    public static AudioData ReadAudio(JsonElement e)
    {
        var f = JsonFields.Open(e, AudioData.WireTag, AudioData.WireTag);
        var samples = JsonArrayCodec.ReadFields(f);
        int rate = JsonRead.Int32(f.Required("rate"), f.Path("rate"), min: 1);
        return f.Construct(() => new AudioData(samples, rate));
    }

    public static void WriteVideo(Utf8JsonWriter w, VideoData value)
    {
        Header(w, VideoData.WireTag);
        JsonArrayCodec.WriteFields(w, value.Frames);
        w.WriteNumber("fps", value.FramesPerSecond);
        w.WriteEndObject();
    }

    public static VideoData ReadVideo(JsonElement e)
    {
        var f = JsonFields.Open(e, VideoData.WireTag, VideoData.WireTag);
        var frames = JsonArrayCodec.ReadFields(f);
        double fps = JsonRead.Number(f.Required("fps"), f.Path("fps"));
        return f.Construct(() => new VideoData(frames, fps));
    }

    public static void WriteLabel(Utf8JsonWriter w, LabelData value)
    {
        Header(w, LabelData.WireTag);
        JsonArrayCodec.WriteFields(w, value.Labels);
        WriteStrings(w, "names", value.LabelNames);
        w.WriteEndObject();
    }

    public static LabelData ReadLabel(JsonElement e)
    {
        var f = JsonFields.Open(e, LabelData.WireTag, LabelData.WireTag);
        var labels = JsonArrayCodec.ReadFields(f);
        var names = JsonRead.Strings(f.Required("names"), f.Path("names"));
        return f.Construct(() => new LabelData(labels, names));
    }

    private static void Header(Utf8JsonWriter w, string tag)
    {
        w.WriteStartObject();
        w.WriteString("arc", tag);
        w.WriteNumber("v", ArcWire.Version);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var s in values) w.WriteStringValue(s);
        w.WriteEndArray();
    }
}
