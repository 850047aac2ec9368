using System.Text.Json;

namespace Arc.Artifacts;

/// <summary>
/// Reads and writes the OCI JSON documents by hand: a fixed property order makes equal content hash equal, and a
/// strict reader over concrete shapes (no typeless deserialization) names exactly what is wrong in hostile input.
/// </summary>
internal static class OciJson
{
    static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 16 };
    // Media types hold '+': the default encoder would write it as \u002B, legal but unlike every other OCI tool.
    static readonly JsonWriterOptions WriteOptions = new() { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] WriteManifest(OciManifest manifest)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", manifest.SchemaVersion);
            writer.WriteString("mediaType", manifest.MediaType);
            if (manifest.ArtifactType is not null) writer.WriteString("artifactType", manifest.ArtifactType);
            writer.WritePropertyName("config");
            WriteDescriptor(writer, manifest.Config);
            writer.WriteStartArray("layers");
            foreach (var layer in manifest.Layers) WriteDescriptor(writer, layer);
            writer.WriteEndArray();
            if (manifest.Subject is not null)
            {
                writer.WritePropertyName("subject");
                WriteDescriptor(writer, manifest.Subject);
            }
            WriteAnnotations(writer, manifest.Annotations);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static byte[] WriteIndex(IEnumerable<OciDescriptor> manifests)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriteOptions with { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciMediaTypes.ImageIndex);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests) WriteDescriptor(writer, manifest);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static void WriteDescriptor(Utf8JsonWriter writer, OciDescriptor descriptor)
    {
        writer.WriteStartObject();
        writer.WriteString("mediaType", descriptor.MediaType);
        writer.WriteString("digest", descriptor.Digest.ToString());
        writer.WriteNumber("size", descriptor.Size);
        if (descriptor.ArtifactType is not null) writer.WriteString("artifactType", descriptor.ArtifactType);
        WriteAnnotations(writer, descriptor.Annotations);
        writer.WriteEndObject();
    }

    static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> annotations)
    {
        if (annotations.Count == 0) return;
        writer.WriteStartObject("annotations");
        foreach (var pair in annotations.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            writer.WriteString(pair.Key, pair.Value);
        writer.WriteEndObject();
    }

    public static OciManifest ReadManifest(ReadOnlySpan<byte> json, string source)
    {
        using var document = Open(json, source, "manifest");
        var root = document.RootElement;
        Require(root.ValueKind == JsonValueKind.Object, source, "a manifest must be a JSON object");
        Require(root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out int schema) && schema == 2, source, "schemaVersion must be 2");
        if (root.TryGetProperty("mediaType", out var mediaType))
            Require(mediaType.ValueKind == JsonValueKind.String && mediaType.GetString() == OciMediaTypes.ImageManifest,
                source, $"mediaType must be {OciMediaTypes.ImageManifest} (an OCI image manifest), not {Describe(mediaType)}");
        string? artifactType = OptionalString(root, "artifactType", source);
        Require(root.TryGetProperty("config", out var config), source, "the manifest has no config descriptor");
        Require(root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array, source, "layers must be an array");
        var layerList = new List<OciDescriptor>(layers.GetArrayLength());
        int index = 0;
        foreach (var layer in layers.EnumerateArray()) layerList.Add(ReadDescriptor(layer, source, $"layers[{index++}]"));
        var subject = root.TryGetProperty("subject", out var subjectElement) && subjectElement.ValueKind != JsonValueKind.Null
            ? ReadDescriptor(subjectElement, source, "subject")
            : null;
        return new OciManifest(artifactType, ReadDescriptor(config, source, "config"), layerList, ReadAnnotations(root, source, "manifest"), subject);
    }

    public static List<OciDescriptor> ReadIndex(ReadOnlySpan<byte> json, string source)
    {
        using var document = Open(json, source, "index");
        var root = document.RootElement;
        Require(root.ValueKind == JsonValueKind.Object, source, "an image index must be a JSON object");
        Require(root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number
                && version.TryGetInt32(out int schema) && schema == 2, source, "schemaVersion must be 2");
        Require(root.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array, source, "manifests must be an array");
        var list = new List<OciDescriptor>(manifests.GetArrayLength());
        int index = 0;
        foreach (var entry in manifests.EnumerateArray()) list.Add(ReadDescriptor(entry, source, $"manifests[{index++}]"));
        return list;
    }

    public static OciDescriptor ReadDescriptor(JsonElement element, string source, string where)
    {
        Require(element.ValueKind == JsonValueKind.Object, source, $"{where} must be a descriptor object");
        Require(element.TryGetProperty("mediaType", out var mediaType) && mediaType.ValueKind == JsonValueKind.String
                && !string.IsNullOrEmpty(mediaType.GetString()), source, $"{where}.mediaType must be a non-empty string");
        Require(element.TryGetProperty("digest", out var digestElement) && digestElement.ValueKind == JsonValueKind.String,
            source, $"{where}.digest must be a string");
        if (!OciDigest.TryParse(digestElement.GetString(), out var digest, out var digestError))
            throw new ArtifactFormatException(source, $"{where}.digest: {digestError}");
        long size = -1;
        Require(element.TryGetProperty("size", out var sizeElement) && sizeElement.ValueKind == JsonValueKind.Number
                && sizeElement.TryGetInt64(out size) && size >= 0, source, $"{where}.size must be a non-negative 64-bit integer");
        return new OciDescriptor(mediaType.GetString()!, digest, size, ReadAnnotations(element, source, where),
            OptionalString(element, "artifactType", source));
    }

    static IReadOnlyDictionary<string, string> ReadAnnotations(JsonElement owner, string source, string where)
    {
        if (!owner.TryGetProperty("annotations", out var annotations) || annotations.ValueKind == JsonValueKind.Null)
            return OciDescriptor.EmptyAnnotations;
        Require(annotations.ValueKind == JsonValueKind.Object, source, $"{where}.annotations must be an object of strings");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in annotations.EnumerateObject())
        {
            Require(property.Value.ValueKind == JsonValueKind.String, source, $"{where}.annotations['{property.Name}'] must be a string");
            Require(map.TryAdd(property.Name, property.Value.GetString()!), source, $"{where}.annotations has '{property.Name}' twice");
        }
        return map;
    }

    static string? OptionalString(JsonElement owner, string name, string source)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        Require(value.ValueKind == JsonValueKind.String, source, $"{name} must be a string");
        return value.GetString();
    }

    static JsonDocument Open(ReadOnlySpan<byte> json, string source, string what)
    {
        try
        {
            return JsonDocument.Parse(json.ToArray(), ReadOptions);
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(source, $"the {what} is not valid JSON: {e.Message}", e);
        }
    }

    static string Describe(JsonElement element)
        => element.ValueKind == JsonValueKind.String ? $"'{OciDigest.Shorten(element.GetString()!)}'" : element.ValueKind.ToString();

    static void Require(bool condition, string source, string problem)
    {
        if (!condition) throw new ArtifactFormatException(source, problem);
    }
}
