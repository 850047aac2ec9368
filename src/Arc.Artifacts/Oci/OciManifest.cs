namespace Arc.Artifacts;

/// <summary>
/// An OCI image manifest (schemaVersion 2, <c>application/vnd.oci.image.manifest.v1+json</c>) used as an artifact:
/// <see cref="ArtifactType"/> says what it holds, <see cref="Config"/> is the empty descriptor or a small JSON
/// document of the artifact's own, and each layer is one named file (<see cref="OciDescriptor.Title"/>).
/// </summary>
public sealed record OciManifest
{
    /// <summary>Creates a manifest; <paramref name="subject"/> makes it a referrer of that manifest (e.g. a signature).</summary>
    public OciManifest(string? artifactType, OciDescriptor config, IReadOnlyList<OciDescriptor> layers, IReadOnlyDictionary<string, string>? annotations = null,
        OciDescriptor? subject = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layers);
        ArtifactType = artifactType;
        Config = config;
        Layers = layers;
        Annotations = annotations ?? OciDescriptor.EmptyAnnotations;
        Subject = subject;
    }

    /// <summary>Always 2 for OCI manifests.</summary>
    public int SchemaVersion => 2;

    /// <summary>Always <see cref="OciMediaTypes.ImageManifest"/>.</summary>
    public string MediaType => OciMediaTypes.ImageManifest;

    /// <summary>What the artifact is (e.g. <c>application/vnd.arc.model.v1</c>); null for a plain image.</summary>
    public string? ArtifactType { get; }

    /// <summary>The config blob's descriptor.</summary>
    public OciDescriptor Config { get; }

    /// <summary>The content blobs, in order.</summary>
    public IReadOnlyList<OciDescriptor> Layers { get; }

    /// <summary>
    /// The manifest this one refers to (image-spec v1.1 <c>subject</c>), or null: a signature names the manifest it signs
    /// here, and stores list it among that manifest's referrers (<see cref="IArtifactStore.ListReferrersAsync"/>).
    /// </summary>
    public OciDescriptor? Subject { get; }

    /// <summary>The manifest's annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>The layer whose title annotation is <paramref name="title"/>, or null.</summary>
    public OciDescriptor? FindLayer(string title) => Layers.FirstOrDefault(layer => layer.Title == title);

    /// <summary>Every blob this manifest points at: the config, then the layers.</summary>
    public IEnumerable<OciDescriptor> Blobs => Layers.Prepend(Config);

    /// <summary>The canonical JSON bytes (stable property order, no whitespace); their digest is the artifact's.</summary>
    public byte[] ToJson() => OciJson.WriteManifest(this);

    /// <summary>Parses manifest JSON strictly; malformed input raises <see cref="ArtifactFormatException"/> naming <paramref name="source"/>.</summary>
    public static OciManifest Parse(ReadOnlySpan<byte> json, string source) => OciJson.ReadManifest(json, source);

    /// <inheritdoc/>
    public bool Equals(OciManifest? other)
        => other is not null && ArtifactType == other.ArtifactType && Config.Equals(other.Config)
           && Layers.SequenceEqual(other.Layers) && OciDescriptor.SameAnnotations(Annotations, other.Annotations)
           && Equals(Subject, other.Subject);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ArtifactType, Config, Layers.Count);
}
