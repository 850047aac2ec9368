using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arc.Artifacts;

/// <summary>
/// <c>manifest.json</c> of a model archive, exactly as seed 004 (aimodellib) defines it: the module dir, the training
/// and serving entries, where logs go and how they are named, and TensorBoard. Every field has the seed's default when
/// it is absent; fields the seed does not define are kept (<see cref="ExtraFields"/>) and written back unchanged.
/// docs/model-archive.md.
/// </summary>
public sealed record ModelArchiveManifest
{
    /// <summary>The manifest's file name at the archive root (case sensitive, as the seed requires).</summary>
    public const string FileName = "manifest.json";

    /// <summary>The default of <see cref="LogDirectory"/>.</summary>
    public const string DefaultLogDirectory = "logs";

    /// <summary>The default of <see cref="LogNamingFormat"/>.</summary>
    public const string DefaultLogNamingFormat = "%Y-%m-%dT%H-%M-%S.log";

    /// <summary>The default of <see cref="TensorboardDirectory"/>.</summary>
    public const string DefaultTensorboardDirectory = "tb_logs";

    /// <summary>The module dir: the path from the archive root to the folder with the model's files (<c>""</c>: the root).</summary>
    [JsonPropertyName("module"), JsonPropertyOrder(0)]
    public string Module { get; init; } = "";

    /// <summary>
    /// The training entry inside the module dir: <c>&lt;assembly path&gt;[:&lt;entry type&gt;]</c>
    /// (<see cref="ModuleEntry"/>), the .NET form of the seed's training script; null when the archive does not train.
    /// </summary>
    [JsonPropertyName("trainingScript"), JsonPropertyOrder(1)]
    public string? TrainingScript { get; init; }

    /// <summary>The serving entry inside the module dir, in the same form; null when the archive does not serve.</summary>
    [JsonPropertyName("servingScript"), JsonPropertyOrder(2)]
    public string? ServingScript { get; init; }

    /// <summary>The folder log files are written to.</summary>
    [JsonPropertyName("logDirectory"), JsonPropertyOrder(3)]
    public string LogDirectory { get; init; } = DefaultLogDirectory;

    /// <summary>The strftime format a log file's name is made with (<see cref="Strftime"/>).</summary>
    [JsonPropertyName("logNamingFormat"), JsonPropertyOrder(4)]
    public string LogNamingFormat { get; init; } = DefaultLogNamingFormat;

    /// <summary>Whether training writes TensorBoard event files.</summary>
    [JsonPropertyName("enableTensorboard"), JsonPropertyOrder(5)]
    public bool EnableTensorboard { get; init; }

    /// <summary>The folder TensorBoard event files are written to and read from.</summary>
    [JsonPropertyName("tensorboardDirectory"), JsonPropertyOrder(6)]
    public string TensorboardDirectory { get; init; } = DefaultTensorboardDirectory;

    /// <summary>Fields the seed does not define, kept as they were read (external programs may add their own).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtraFields { get; init; }

    /// <summary>The training entry parsed, or null.</summary>
    [JsonIgnore]
    public ModuleEntry? TrainingEntry => TrainingScript is null ? null : ModuleEntry.Parse(TrainingScript);

    /// <summary>The serving entry parsed, or null.</summary>
    [JsonIgnore]
    public ModuleEntry? ServingEntry => ServingScript is null ? null : ModuleEntry.Parse(ServingScript);

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        MaxDepth = 64,
        // Absent fields keep their defaults; null scripts are written as null (the seed's "string | null").
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The manifest as indented JSON (UTF-8, a final newline): the same manifest always gives the same bytes.</summary>
    public byte[] ToJson()
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(this, Options);
        return [.. bytes, (byte)'\n'];
    }

    /// <summary>Reads and checks a manifest; <see cref="ArtifactFormatException"/> naming <paramref name="source"/> when it is not valid.</summary>
    public static ModelArchiveManifest Parse(ReadOnlySpan<byte> json, string source)
    {
        ModelArchiveManifest? manifest;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArtifactFormatException(source, $"{FileName} must hold one JSON object, not {document.RootElement.ValueKind}");
            CheckTypes(document.RootElement, source);
            manifest = document.RootElement.Deserialize<ModelArchiveManifest>(Options);
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(source, $"{FileName} is not valid JSON: {e.Message}", e);
        }
        if (manifest is null) throw new ArtifactFormatException(source, $"{FileName} is null");
        manifest.Check(source);
        return manifest;
    }

    /// <summary>Each known field with the type the seed gives it, so a wrong one is named rather than half-read.</summary>
    private static void CheckTypes(JsonElement root, string source)
    {
        foreach (var property in root.EnumerateObject())
        {
            var kind = property.Value.ValueKind;
            bool ok = property.Name switch
            {
                "module" or "logDirectory" or "logNamingFormat" or "tensorboardDirectory" => kind == JsonValueKind.String,
                "trainingScript" or "servingScript" => kind is JsonValueKind.String or JsonValueKind.Null,
                "enableTensorboard" => kind is JsonValueKind.True or JsonValueKind.False,
                _ => true,
            };
            if (!ok)
                throw new ArtifactFormatException(source, $"{FileName} field '{property.Name}' is {kind}; it must be a " + property.Name switch
                {
                    "trainingScript" or "servingScript" => "string or null",
                    "enableTensorboard" => "boolean",
                    _ => "string",
                });
        }
    }

    private void Check(string source)
    {
        void Require(bool ok, string what) { if (!ok) throw new ArtifactFormatException(source, $"{FileName}: {what}"); }
        Require(Module == "" || SavedArtifactConfig.IsInnerPath(Module.TrimEnd('/')), $"module '{Module}' is not a relative path inside the archive (no '..', no absolute path)");
        Require(LogDirectory.Length > 0 && !LogDirectory.Contains('\0'), "logDirectory is empty");
        Require(TensorboardDirectory.Length > 0 && !TensorboardDirectory.Contains('\0'), "tensorboardDirectory is empty");
        Require(LogNamingFormat.Length > 0 && !LogNamingFormat.Contains('/') && !LogNamingFormat.Contains('\0'),
            $"logNamingFormat '{LogNamingFormat}' must name a file (no '/')");
        try
        {
            _ = TrainingEntry;
            _ = ServingEntry;
        }
        catch (FormatException e)
        {
            throw new ArtifactFormatException(source, $"{FileName}: {e.Message}", e);
        }
    }
}
