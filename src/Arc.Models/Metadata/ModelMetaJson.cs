using System.Text.Json;
using Arc.Sdk;

namespace Arc.Models;

/// <summary>Writes and reads a model version's meta.json (docs/finder.md, "A model version").</summary>
internal static class ModelMetaJson
{
    public const string FileName = "meta.json";

    public static byte[] Write(ModelVersionMetadata meta)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("format_version", meta.FormatVersion);
            json.WriteString("name", meta.Name);
            json.WriteString("version", meta.Version);
            json.WriteString("created_at", meta.CreatedAt.UtcDateTime.ToString("O"));
            WriteStrings(json, "tags", meta.Tags);
            json.WriteString("model_type", meta.ModelType);
            WriteHyperparameters(json, meta.Hyperparameters);
            WriteType(json, "x", meta.X);
            WriteType(json, "y", meta.Y);
            WriteDataset(json, meta.Dataset);
            json.WriteStartArray("history");
            foreach (var epoch in meta.History)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", epoch.Epoch);
                JsonNumbers.Write(json, "loss", epoch.Loss);
                json.WriteNumber("steps", epoch.Steps);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteEvaluation(json, meta.Evaluation);
            json.WriteStartObject("training_data");
            json.WriteString("split", SplitName(meta.TrainingData.Split));
            StatisticsJson.Write(json, meta.TrainingData.Statistics);
            json.WriteEndObject();
            json.WriteStartObject("weights");
            json.WriteString("path", meta.Weights.Path);
            json.WriteNumber("bytes", meta.Weights.Bytes);
            json.WriteString("sha256", meta.Weights.Sha256);
            json.WriteEndObject();
            json.WriteStartObject("hash");
            json.WriteString("algorithm", meta.Hash.Algorithm);
            json.WriteString("value", meta.Hash.Value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads meta.json at <paramref name="path"/>, its format version first.</summary>
    /// <exception cref="ModelVersionFormatException">Missing, not JSON, of another format version, or lacking a member (named).</exception>
    public static async Task<ModelVersionMetadata> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try { bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelVersionFormatException(path, "is missing: every published model version has one", e);
        }
        return Parse(path, bytes);
    }

    public static ModelVersionMetadata Parse(string path, byte[] bytes)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(bytes); }
        catch (JsonException e) { throw new ModelVersionFormatException(path, $"is not JSON ({e.Message})", e); }
        using (document)
        {
            try
            {
                var root = document.RootElement;
                int format = Member(root, "format_version").GetInt32();
                if (format > ModelVersionMetadata.CurrentFormatVersion)
                    throw new ModelVersionFormatException(path, $"is model meta.json format version {format}, newer than this Arc reads ({ModelVersionMetadata.CurrentFormatVersion}): update Arc to open it");
                if (format != ModelVersionMetadata.CurrentFormatVersion)
                    throw new ModelVersionFormatException(path, $"is model meta.json format version {format}; this Arc reads version {ModelVersionMetadata.CurrentFormatVersion} only");
                var training = Member(root, "training_data");
                var weights = Member(root, "weights");
                var hash = Member(root, "hash");
                return new ModelVersionMetadata
                {
                    FormatVersion = format,
                    Name = String(root, "name"),
                    Version = String(root, "version"),
                    CreatedAt = DateTimeOffset.Parse(String(root, "created_at"), System.Globalization.CultureInfo.InvariantCulture),
                    Tags = Strings(Member(root, "tags")),
                    ModelType = String(root, "model_type"),
                    Hyperparameters = ReadHyperparameters(Member(root, "hyperparameters")),
                    X = ReadType(Member(root, "x")),
                    Y = ReadType(Member(root, "y")),
                    Dataset = ReadDataset(Member(root, "dataset")),
                    History = Member(root, "history").EnumerateArray()
                        .Select(e => new EpochRecord(Member(e, "epoch").GetInt32(), JsonNumbers.Read(Member(e, "loss")), Member(e, "steps").GetInt64())).ToArray(),
                    Evaluation = ReadEvaluation(Member(root, "evaluation")),
                    TrainingData = new TrainingDataStatistics(ParseSplit(String(training, "split")), StatisticsJson.Read(training)),
                    Weights = new ModelFile(String(weights, "path"), Member(weights, "bytes").GetInt64(), String(weights, "sha256")),
                    Hash = new ModelHash(String(hash, "algorithm"), String(hash, "value")),
                };
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
            {
                throw new ModelVersionFormatException(path, $"is not a model version's meta.json: {e.Message}", e);
            }
        }
    }

    internal static JsonElement Member(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"member '{name}' is missing");

    internal static string String(JsonElement element, string name)
        => Member(element, name).GetString() ?? throw new FormatException($"member '{name}' is null");

    internal static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("a name is null")).ToArray();

    internal static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    public static string SplitName(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Validation => "val",
        DataSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a split"),
    };

    private static DataSplit ParseSplit(string name) => name switch
    {
        "train" => DataSplit.Train,
        "val" => DataSplit.Validation,
        "test" => DataSplit.Test,
        _ => throw new FormatException($"'{name}' is not a split (train, val, test)"),
    };

    private static void WriteHyperparameters(Utf8JsonWriter json, IReadOnlyDictionary<string, object> values)
    {
        json.WriteStartObject("hyperparameters");
        foreach (var (name, value) in values.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.WritePropertyName(name);
            switch (value)
            {
                case long l: json.WriteNumberValue(l); break;
                case int i: json.WriteNumberValue(i); break;
                case double d: JsonNumbers.Write(json, d); break;
                case float f: JsonNumbers.Write(json, f); break;
                case bool b: json.WriteBooleanValue(b); break;
                default: json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        json.WriteEndObject();
    }

    /// <summary>Integers come back as <see cref="long"/>, other numbers as <see cref="double"/>.</summary>
    private static IReadOnlyDictionary<string, object> ReadHyperparameters(JsonElement element)
    {
        var values = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var v = property.Value;
            values[property.Name] = v.ValueKind switch
            {
                JsonValueKind.Number when v.TryGetInt64(out long l) => l,
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => v.GetString()!,
                _ => throw new FormatException($"hyperparameter '{property.Name}' is {v.ValueKind}, not a number, bool or string"),
            };
        }
        return values;
    }

    private static void WriteType(Utf8JsonWriter json, string name, ModelDataType type)
    {
        json.WriteStartObject(name);
        json.WriteString("type", type.Type);
        if (type.Shape is { } shape)
        {
            json.WriteStartArray("shape");
            foreach (int d in shape) json.WriteNumberValue(d);
            json.WriteEndArray();
        }
        if (type.Names is { } names) WriteStrings(json, "names", names);
        json.WriteEndObject();
    }

    private static ModelDataType ReadType(JsonElement element)
        => new(String(element, "type"),
            element.TryGetProperty("shape", out var shape) ? shape.EnumerateArray().Select(d => d.GetInt32()).ToArray() : null,
            element.TryGetProperty("names", out var names) ? Strings(names) : null);

    private static void WriteDataset(Utf8JsonWriter json, ModelDatasetLink dataset)
    {
        json.WriteStartObject("dataset");
        json.WriteString("name", dataset.Name);
        json.WriteString("version", dataset.Version);
        json.WriteStartObject("hash");
        json.WriteString("algorithm", "sha256");
        json.WriteString("value", dataset.Hash);
        json.WriteEndObject();
        if (dataset.Processor is { } processor)
        {
            json.WriteStartObject("processor");
            json.WriteString("type", processor);
            json.WriteString("state_sha256", dataset.ProcessorStateSha256);
            json.WriteEndObject();
        }
        else json.WriteNull("processor");
        json.WriteEndObject();
    }

    private static ModelDatasetLink ReadDataset(JsonElement element)
    {
        var processor = Member(element, "processor");
        bool has = processor.ValueKind == JsonValueKind.Object;
        return new ModelDatasetLink(String(element, "name"), String(element, "version"), String(Member(element, "hash"), "value"),
            has ? String(processor, "type") : null, has ? String(processor, "state_sha256") : null);
    }

    private static void WriteEvaluation(Utf8JsonWriter json, ModelEvaluation? evaluation)
    {
        if (evaluation is null)
        {
            json.WriteNull("evaluation");
            return;
        }
        json.WriteStartObject("evaluation");
        json.WriteString("job", evaluation.Job);
        json.WriteString("split", SplitName(evaluation.Split));
        json.WriteNumber("samples", evaluation.Samples);
        json.WriteStartObject("metrics");
        foreach (var (name, value) in evaluation.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal)) JsonNumbers.Write(json, name, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static ModelEvaluation? ReadEvaluation(JsonElement element)
        => element.ValueKind == JsonValueKind.Null ? null
            : new ModelEvaluation(String(element, "job"), ParseSplit(String(element, "split")), Member(element, "samples").GetInt32(),
                Member(element, "metrics").EnumerateObject().ToDictionary(p => p.Name, p => JsonNumbers.Read(p.Value), StringComparer.Ordinal));
}
