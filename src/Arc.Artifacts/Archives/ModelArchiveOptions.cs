namespace Arc.Artifacts;

/// <summary>
/// What <see cref="ModelArchive.CreateAsync"/> packages: seed 004's <c>package</c> options, with its defaults where
/// .NET has an equivalent (docs/model-archive.md).
/// </summary>
public sealed record ModelArchiveOptions
{
    /// <summary>The default output file.</summary>
    public const string DefaultOutput = "model.tar.gz";

    /// <summary>The module dir: a build output folder with the model's assemblies (<c>-m</c>; the seed's default <c>""</c> is the current folder).</summary>
    public string ModuleDirectory { get; init; } = "";

    /// <summary>
    /// The training entry, <c>&lt;assembly&gt;.dll[:&lt;type&gt;]</c> inside the module dir (<c>-t</c>); null: the module's
    /// one app (the assembly with a <c>.deps.json</c> and <c>.runtimeconfig.json</c> that is not one of Arc's own programs).
    /// </summary>
    public string? TrainingScript { get; init; }

    /// <summary>The serving entry in the same form (<c>-s</c>); null: the same assembly as training.</summary>
    public string? ServingScript { get; init; }

    /// <summary>The strftime format of log file names (<c>-l</c>).</summary>
    public string LogNamingFormat { get; init; } = ModelArchiveManifest.DefaultLogNamingFormat;

    /// <summary>Where log files go (<c>-L</c>).</summary>
    public string LogDirectory { get; init; } = ModelArchiveManifest.DefaultLogDirectory;

    /// <summary>Whether training writes TensorBoard files (<c>--enable-tensorboard</c>).</summary>
    public bool EnableTensorboard { get; init; }

    /// <summary>Where TensorBoard files go (<c>-T</c>).</summary>
    public string TensorboardDirectory { get; init; } = ModelArchiveManifest.DefaultTensorboardDirectory;

    /// <summary>A <c>manifest.json</c> to use instead of one made from the options above (<c>-M</c>); kept byte for byte.</summary>
    public string? ManifestFile { get; init; }

    /// <summary>Fields beyond the seed's to write into the manifest made from the options (e.g. <c>"job"</c>); ignored with <see cref="ManifestFile"/>.</summary>
    public Dictionary<string, System.Text.Json.JsonElement>? ExtraFields { get; init; }

    /// <summary>The archive to write (<c>-o</c>).</summary>
    public string Output { get; init; } = DefaultOutput;
}

/// <summary>What <see cref="ModelArchive.CreateAsync"/> wrote.</summary>
/// <param name="Path">The archive's full path.</param>
/// <param name="Manifest">The manifest it holds.</param>
/// <param name="Files">How many files it holds (the manifest and requirements included).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
/// <param name="Requirements">The NuGet packages it records.</param>
public sealed record ModelArchiveResult(string Path, ModelArchiveManifest Manifest, int Files, long Bytes, string Sha256, ModuleRequirements Requirements);
