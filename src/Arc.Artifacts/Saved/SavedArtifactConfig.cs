using System.Text.Json;
using System.Text.Json.Serialization;

namespace Arc.Artifacts;

/// <summary>A data type as a saved artifact records it: its wire tag (what is checked on connect) and .NET type name.</summary>
/// <param name="WireTag">The type's <c>IArcData&lt;T&gt;.WireTag</c>, e.g. <c>image</c>.</param>
/// <param name="Type">The .NET type's full name, for messages.</param>
public sealed record SavedDataType(string WireTag, string Type);

/// <summary>
/// The config blob of a model or job artifact (<see cref="ArcArtifactTypes.ConfigMediaType"/>): what was saved, its
/// X and Y types, its (hyper)parameters, and what its code bundle needs. Written as camelCase JSON, nothing
/// time-dependent, so saving equal content twice gives the same artifact.
/// </summary>
public sealed record SavedArtifactConfig
{
    /// <summary>Kind <c>model</c>.</summary>
    public const string ModelKind = "model";

    /// <summary>Kind <c>job</c>.</summary>
    public const string JobKind = "job";

    /// <summary><see cref="ModelKind"/> or <see cref="JobKind"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The registered name (<c>ArcRegistry</c>), which the worker serves.</summary>
    public required string Name { get; init; }

    /// <summary>The model or job class's full name.</summary>
    public required string Type { get; init; }

    /// <summary>The assembly that registers it: a file name at the root of the code bundle.</summary>
    public required string Assembly { get; init; }

    /// <summary>The input type X.</summary>
    public required SavedDataType Input { get; init; }

    /// <summary>The output type Y.</summary>
    public required SavedDataType Output { get; init; }

    /// <summary>The hyperparameters (model) or parameters (job) as JSON, for people and tools; the wire form is a layer.</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>
    /// The contract the model or job states (docs/data-types.md, "Contracts") in its JSON form
    /// (<c>{"x": {"kind": "image", "channels": 1, …} | null, "y": …}</c>); absent when it states none.
    /// </summary>
    public JsonElement? Contract { get; init; }

    /// <summary>The version of Arc.Sdk that saved it.</summary>
    public required string ArcVersion { get; init; }

    /// <summary>Where it was saved from: assembly, framework, runtime identifier.</summary>
    public IReadOnlyDictionary<string, string> CreatedFrom { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The saved artifact this one was trained from, pinned by digest (<c>repository@sha256:…</c>); null for an artifact
    /// saved from a model object rather than trained from another artifact (e.g. by <c>Trainer.TrainAsync</c> over references).
    /// </summary>
    public string? Parent { get; init; }

    /// <summary>NuGet packages the code bundle needs from the local package folder (not carried).</summary>
    public IReadOnlyList<PackageRequirement> Requirements { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };

    /// <summary>The JSON bytes.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <summary>Reads and checks a config; <see cref="ArtifactFormatException"/> naming <paramref name="source"/> when it is not a valid one.</summary>
    public static SavedArtifactConfig Parse(ReadOnlySpan<byte> json, string source)
    {
        SavedArtifactConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<SavedArtifactConfig>(json, Options);
        }
        catch (JsonException e)
        {
            throw new ArtifactFormatException(source, $"the config is not a valid Arc artifact config: {e.Message}", e);
        }
        if (config is null) throw new ArtifactFormatException(source, "the config is null");
        config.Check(source);
        return config;
    }

    private void Check(string source)
    {
        void Require(bool ok, string what) { if (!ok) throw new ArtifactFormatException(source, $"the config's {what}"); }
        Require(Kind is ModelKind or JobKind, $"kind '{Kind}' is neither '{ModelKind}' nor '{JobKind}'");
        Require(RegistrationNames.IsValid(Name ?? ""), $"name '{Name}' is not a valid registered name");
        Require(!string.IsNullOrEmpty(Assembly) && Assembly == Path.GetFileName(Assembly) && Assembly is not ("." or "..")
                && !Assembly.Contains('\\') && Assembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase),
            $"assembly '{Assembly}' is not a .dll file name");
        Require(Input is { WireTag.Length: > 0, Type: not null } && Output is { WireTag.Length: > 0, Type: not null }, "input or output type is missing");
        Require(Requirements is not null && CreatedFrom is not null, "requirements or createdFrom is null");
        foreach (var package in Requirements!)
        {
            Require(package is { Id.Length: > 0, Version.Length: > 0, Files: not null } && IsInnerPath(package.Folder),
                $"requirement '{package?.Id}' has no id, version or files, or its folder '{package?.Folder}' is not a relative path without '..'");
            foreach (var file in package!.Files!)
                Require(file is not null && IsInnerPath(file.OutputPath) && IsInnerPath(file.PackagePath) && file.Size >= 0,
                    $"requirement '{package.Id}' names a file outside its folder or the bundle ('{file?.PackagePath}' → '{file?.OutputPath}')");
        }
    }

    /// <summary>A '/'-separated relative path without empty or '..' segments.</summary>
    internal static bool IsInnerPath(string? path)
        => !string.IsNullOrEmpty(path) && !path.StartsWith('/') && !Path.IsPathRooted(path) && !path.Contains('\\') && !path.Contains('\0')
           && path.Split('/').All(segment => segment.Length > 0 && segment != "..");
}
