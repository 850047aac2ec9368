using System.Text.Json;

namespace Arc.Models;

/// <summary>The JSON form of <see cref="DataStatistics"/> (members written into an object that is already open).</summary>
internal static class StatisticsJson
{
    public static void Write(Utf8JsonWriter json, DataStatistics statistics)
    {
        json.WriteNumber("samples", statistics.Samples);
        json.WriteStartArray("features");
        foreach (var f in statistics.Features)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteNumber("count", f.Count);
            JsonNumbers.Write(json, "mean", f.Mean);
            JsonNumbers.Write(json, "std", f.Std);
            JsonNumbers.Write(json, "min", f.Min);
            JsonNumbers.Write(json, "max", f.Max);
            json.WriteStartObject("histogram");
            JsonNumbers.Write(json, "low", f.Histogram.Low);
            JsonNumbers.Write(json, "high", f.Histogram.High);
            json.WriteNumber("below", f.Histogram.Below);
            json.WriteStartArray("counts");
            foreach (long c in f.Histogram.Counts) json.WriteNumberValue(c);
            json.WriteEndArray();
            json.WriteNumber("above", f.Histogram.Above);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (statistics.Classes is { } classes)
        {
            json.WriteStartObject("classes");
            ModelMetaJson.WriteStrings(json, "names", classes.Names);
            json.WriteStartArray("counts");
            foreach (long c in classes.Counts) json.WriteNumberValue(c);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else json.WriteNull("classes");
    }

    public static DataStatistics Read(JsonElement element)
    {
        var features = ModelMetaJson.Member(element, "features").EnumerateArray().Select(f =>
        {
            var h = ModelMetaJson.Member(f, "histogram");
            var histogram = new Histogram(JsonNumbers.Read(ModelMetaJson.Member(h, "low")), JsonNumbers.Read(ModelMetaJson.Member(h, "high")),
                ModelMetaJson.Member(h, "below").GetInt64(), ModelMetaJson.Member(h, "counts").EnumerateArray().Select(c => c.GetInt64()).ToArray(),
                ModelMetaJson.Member(h, "above").GetInt64());
            if (histogram.Counts.Count == 0) throw new FormatException("a histogram has no bins");
            return new FeatureStatistics(ModelMetaJson.String(f, "name"), ModelMetaJson.Member(f, "count").GetInt64(),
                JsonNumbers.Read(ModelMetaJson.Member(f, "mean")), JsonNumbers.Read(ModelMetaJson.Member(f, "std")),
                JsonNumbers.Read(ModelMetaJson.Member(f, "min")), JsonNumbers.Read(ModelMetaJson.Member(f, "max")), histogram);
        }).ToArray();
        var classesElement = ModelMetaJson.Member(element, "classes");
        ClassCounts? classes = classesElement.ValueKind == JsonValueKind.Null ? null
            : new ClassCounts(ModelMetaJson.Strings(ModelMetaJson.Member(classesElement, "names")),
                ModelMetaJson.Member(classesElement, "counts").EnumerateArray().Select(c => c.GetInt64()).ToArray());
        if (classes is not null && classes.Names.Count != classes.Counts.Count)
            throw new FormatException($"classes has {classes.Names.Count} names but {classes.Counts.Count} counts");
        return new DataStatistics(ModelMetaJson.Member(element, "samples").GetInt64(), features, classes);
    }
}
