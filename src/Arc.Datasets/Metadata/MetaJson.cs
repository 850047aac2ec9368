using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Arc.Sdk;

namespace Arc.Datasets;

/// <summary>
/// Writes and reads meta.json. Its <c>content</c> member (types, facts, splits, processor: everything the data means)
/// is written compactly once and embedded byte for byte, because the content hash covers exactly those bytes
/// (<see cref="DatasetHashing"/>); the rest (name, version, created_at, tags, files, hash) describes the publication.
/// </summary>
internal static class MetaJson
{
    public const string FileName = "meta.json";

    /// <summary>The largest meta.json read: far above any real one (a million listed files take about 150 MB), far below what would exhaust memory.</summary>
    public const long MaxBytes = 256L << 20;

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 64 };

    // Readable for people: '<f4' and class names stay as they are instead of \u003C and \u00E9 (meta.json is never
    // embedded in HTML, which is what the default escaping guards against). Still one deterministic form.
    private static readonly JavaScriptEncoder Readable = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The compact bytes of the <c>content</c> member.</summary>
    public static byte[] WriteContent(DatasetPartType x, Action<Utf8JsonWriter> xFacts, DatasetPartType y, Action<Utf8JsonWriter> yFacts,
        IReadOnlyList<DatasetSplitInfo> splits, DatasetProcessorInfo? processor)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Readable }))
        {
            json.WriteStartObject();
            WritePart(json, "x", x, xFacts);
            WritePart(json, "y", y, yFacts);
            json.WriteStartObject("splits");
            foreach (var split in splits)
            {
                json.WriteStartObject(SplitFiles.Name(split.Split));
                json.WriteNumber("samples", split.Samples);
                WriteArray(json, "x", split.X);
                WriteArray(json, "y", split.Y);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (processor is null) json.WriteNull("processor");
            else
            {
                json.WriteStartObject("processor");
                json.WriteString("type", processor.Type);
                json.WritePropertyName("parameters");
                json.WriteRawValue(processor.ParametersJson);
                json.WriteString("file", processor.File);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The bytes of meta.json.</summary>
    public static byte[] Write(DatasetMetadata meta, byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Readable }))
        {
            json.WriteStartObject();
            json.WriteNumber("format_version", meta.FormatVersion);
            json.WriteString("name", meta.Name);
            json.WriteString("version", meta.Version);
            json.WriteString("created_at", meta.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartArray("tags");
            foreach (var tag in meta.Tags) json.WriteStringValue(tag);
            json.WriteEndArray();
            json.WritePropertyName("content");
            json.WriteRawValue(content);
            json.WriteStartArray("files");
            foreach (var file in meta.Files)
            {
                json.WriteStartObject();
                json.WriteString("path", file.Path);
                json.WriteNumber("bytes", file.Bytes);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("size_bytes", meta.SizeBytes);
            json.WriteStartObject("hash");
            json.WriteString("algorithm", meta.Hash.Algorithm);
            json.WriteString("value", meta.Hash.Value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads meta.json at <paramref name="path"/>: the metadata, the facts of X and Y, and the exact bytes of the
    /// <c>content</c> member (for the hash). The format version is checked before anything else is read.
    /// </summary>
    /// <exception cref="DatasetFormatException">The file is missing, not JSON, of an unknown format version, or lacks a member.</exception>
    public static async Task<(DatasetMetadata Meta, DataFacts XFacts, DataFacts YFacts, byte[] Content)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxBytes)
                throw new DatasetFormatException(path, $"is {length} bytes; Arc reads a meta.json of at most {MaxBytes} bytes");
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new DatasetFormatException(path, "is missing: every published dataset version has one, so this folder is not a dataset version", e);
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, $"is not JSON ({e.Message})", e);
        }
        using (document)
        {
            var fields = new MetaFields(path);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw fields.Error("the document", "is not an object");
            if (fields.Optional(root, "format_version") is null)
                throw new DatasetFormatException(path, "has no format_version; it is not the meta.json of an Arc dataset version");
            long format = fields.Int64(root, "format_version", "", min: long.MinValue);
            if (format != DatasetMetadata.CurrentFormatVersion)
                throw new DatasetFormatException(path, format > DatasetMetadata.CurrentFormatVersion
                    ? $"is meta.json format version {format}, newer than this Arc reads ({DatasetMetadata.CurrentFormatVersion}): update Arc to open it"
                    : $"is meta.json format version {format}, which no Arc wrote (this Arc reads version {DatasetMetadata.CurrentFormatVersion})");

            var content = fields.Object(root, "content", "");
            var (x, xFacts) = ReadPart(content, "x", fields);
            var (y, yFacts) = ReadPart(content, "y", fields);
            var splits = ReadSplits(fields.Object(content, "splits", "content"), fields);
            var meta = new DatasetMetadata
            {
                FormatVersion = (int)format,
                Name = fields.String(root, "name", ""),
                Version = fields.String(root, "version", ""),
                CreatedAt = ReadTime(root, fields),
                Tags = fields.Strings(root, "tags", ""),
                X = x,
                Y = y,
                Splits = splits,
                Processor = ReadProcessor(content, fields),
                Files = ReadFiles(root, fields),
                Hash = new DatasetContentHash(
                    fields.String(fields.Object(root, "hash", ""), "algorithm", "hash"),
                    fields.String(fields.Object(root, "hash", ""), "value", "hash")),
            };
            return (meta, xFacts, yFacts, Encoding.UTF8.GetBytes(content.GetRawText()));
        }
    }

    private static void WritePart(Utf8JsonWriter json, string key, DatasetPartType part, Action<Utf8JsonWriter> facts)
    {
        json.WriteStartObject(key);
        json.WriteString("type", part.Type);
        facts(json);
        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, string key, DatasetArrayInfo array)
    {
        json.WriteStartObject(key);
        json.WriteString("file", array.File);
        json.WriteString("dtype", array.DType);
        json.WriteStartArray("shape");
        foreach (var d in array.Shape) json.WriteNumberValue(d);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static (DatasetPartType, DataFacts) ReadPart(JsonElement content, string key, MetaFields fields)
    {
        string where = $"content.{key}";
        var part = fields.Object(content, key, "content");
        var facts = FactsJson.Read(part, fields, where);
        return (new DatasetPartType(fields.String(part, "type", where), facts.Names, facts.SampleRate, facts.FramesPerSecond), facts);
    }

    private static List<DatasetSplitInfo> ReadSplits(JsonElement splits, MetaFields fields)
    {
        var result = new List<DatasetSplitInfo>();
        foreach (var property in splits.EnumerateObject())
        {
            string where = $"content.splits.{property.Name}";
            var split = SplitFiles.Parse(property.Name) ?? throw fields.Error(where, "is not a split this Arc knows (train, val, test)");
            if (result.Any(s => s.Split == split)) throw fields.Error(where, "appears twice");
            result.Add(new DatasetSplitInfo(split, fields.Int32(property.Value, "samples", where),
                ReadArray(property.Value, "x", where, fields), ReadArray(property.Value, "y", where, fields)));
        }
        if (result.Count == 0) throw fields.Error("content.splits", "is empty; a dataset version has at least one split");
        return result.OrderBy(s => Array.IndexOf(SplitFiles.All, s.Split)).ToList();
    }

    private static DatasetArrayInfo ReadArray(JsonElement split, string key, string where, MetaFields fields)
    {
        var array = fields.Object(split, key, where);
        string at = MetaFields.Path(where, key);
        return new DatasetArrayInfo(fields.String(array, "file", at), fields.String(array, "dtype", at), fields.Int64s(array, "shape", at));
    }

    private static DatasetProcessorInfo? ReadProcessor(JsonElement content, MetaFields fields)
    {
        if (fields.Optional(content, "processor") is not JsonElement processor) return null;
        if (processor.ValueKind != JsonValueKind.Object) throw fields.Error("content.processor", "is neither null nor an object");
        return new DatasetProcessorInfo(fields.String(processor, "type", "content.processor"),
            fields.Object(processor, "parameters", "content.processor").GetRawText(), fields.String(processor, "file", "content.processor"));
    }

    private static List<DatasetFileInfo> ReadFiles(JsonElement root, MetaFields fields)
    {
        var files = fields.Member(root, "files", "", JsonValueKind.Array);
        var result = new List<DatasetFileInfo>();
        int i = 0;
        foreach (var file in files.EnumerateArray())
        {
            string where = $"files[{i++}]";
            result.Add(new DatasetFileInfo(fields.String(file, "path", where), fields.Int64(file, "bytes", where), fields.String(file, "sha256", where)));
        }
        return result;
    }

    private static DateTimeOffset ReadTime(JsonElement root, MetaFields fields)
    {
        string text = fields.String(root, "created_at", "");
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw fields.Error("created_at", $"'{text}' is not a date and time");
    }
}
