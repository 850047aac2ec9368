namespace Arc.Artifacts;

/// <summary>
/// What an artifact will hold, before it is hashed: an artifact type, an optional config document, named layers
/// (bytes in memory or files on disk) and annotations. <see cref="PrepareAsync"/> hashes everything and builds the
/// manifest, so its digest is known before anything is pushed.
/// </summary>
public sealed class ArtifactContent
{
    readonly List<ArtifactLayer> _layers = [];
    readonly Dictionary<string, string> _annotations = new(StringComparer.Ordinal);
    string _configMediaType = OciMediaTypes.Empty;
    ReadOnlyMemory<byte> _config = OciDescriptor.EmptyJson;
    OciDescriptor? _subject;

    /// <summary>Starts an artifact of <paramref name="artifactType"/> (a media type, e.g. <c>application/vnd.arc.model.v1</c>).</summary>
    public ArtifactContent(string artifactType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(artifactType);
        ArtifactType = artifactType;
    }

    /// <summary>What the artifact is.</summary>
    public string ArtifactType { get; }

    /// <summary>Sets the config blob (default: the empty descriptor's <c>{}</c>).</summary>
    public ArtifactContent WithConfig(string mediaType, ReadOnlyMemory<byte> config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        _configMediaType = mediaType;
        _config = config.ToArray();
        return this;
    }

    /// <summary>
    /// Makes the artifact a referrer of the manifest <paramref name="subject"/> describes (its <c>subject</c>), as a
    /// signature is of what it signs; push it with <see cref="IArtifactStore.PushReferrerAsync"/>.
    /// </summary>
    public ArtifactContent WithSubject(OciDescriptor subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        _subject = subject;
        return this;
    }

    /// <summary>Adds a manifest annotation.</summary>
    public ArtifactContent Annotate(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _annotations[key] = value;
        return this;
    }

    /// <summary>Adds a layer holding <paramref name="content"/> (copied), named <paramref name="title"/> (unique in the artifact).</summary>
    public ArtifactContent AddLayer(string title, string mediaType, ReadOnlyMemory<byte> content, IReadOnlyDictionary<string, string>? annotations = null)
        => Add(new ArtifactLayer(title, mediaType, content.ToArray(), null, annotations));

    /// <summary>Adds a layer holding the file at <paramref name="path"/>, read when prepared and again when pushed (and checked to be unchanged).</summary>
    public ArtifactContent AddFileLayer(string title, string mediaType, string path, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Add(new ArtifactLayer(title, mediaType, null, Path.GetFullPath(path), annotations));
    }

    ArtifactContent Add(ArtifactLayer layer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(layer.Title, "title");
        ArgumentException.ThrowIfNullOrWhiteSpace(layer.MediaType, "mediaType");
        if (_layers.Any(existing => existing.Title == layer.Title))
            throw new ArgumentException($"the artifact already has a layer titled '{layer.Title}'; titles name files and must be unique", "title");
        _layers.Add(layer);
        return this;
    }

    /// <summary>Hashes the config and every layer and builds the manifest.</summary>
    public async Task<PreparedArtifact> PrepareAsync(CancellationToken cancellationToken = default)
    {
        var blobs = new List<PreparedBlob>(_layers.Count + 1);
        var config = OciDescriptor.For(_configMediaType, _config.Span);
        blobs.Add(new PreparedBlob(config, _config.ToArray(), null));
        var layers = new List<OciDescriptor>(_layers.Count);
        foreach (var layer in _layers)
        {
            var annotations = new Dictionary<string, string>(layer.Annotations ?? OciDescriptor.EmptyAnnotations, StringComparer.Ordinal)
            {
                [OciAnnotations.Title] = layer.Title,
            };
            OciDescriptor descriptor;
            if (layer.Bytes is { } bytes)
            {
                descriptor = OciDescriptor.For(layer.MediaType, bytes, annotations);
            }
            else
            {
                var file = OpenFile(layer.Path!);
                await using var fileDisposal = file.ConfigureAwait(false);
                var digest = await OciDigest.ComputeAsync(file, cancellationToken).ConfigureAwait(false);
                descriptor = new OciDescriptor(layer.MediaType, digest, file.Length, annotations);
            }
            layers.Add(descriptor);
            blobs.Add(new PreparedBlob(descriptor, layer.Bytes, layer.Path));
        }
        var manifest = new OciManifest(ArtifactType, config, layers, new Dictionary<string, string>(_annotations, StringComparer.Ordinal), _subject);
        return new PreparedArtifact(manifest, manifest.ToJson(), blobs);
    }

    internal static FileStream OpenFile(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    sealed record ArtifactLayer(string Title, string MediaType, byte[]? Bytes, string? Path, IReadOnlyDictionary<string, string>? Annotations);
}

/// <summary>An artifact hashed and ready to push: its manifest, the manifest's exact bytes and digest, and its blobs.</summary>
public sealed class PreparedArtifact
{
    internal PreparedArtifact(OciManifest manifest, byte[] manifestBytes, IReadOnlyList<PreparedBlob> blobs)
    {
        Manifest = manifest;
        ManifestBytes = manifestBytes;
        Digest = OciDigest.Compute(manifestBytes);
        Blobs = blobs;
    }

    /// <summary>The manifest.</summary>
    public OciManifest Manifest { get; }

    /// <summary>The manifest's canonical bytes.</summary>
    public ReadOnlyMemory<byte> ManifestBytes { get; }

    /// <summary>The manifest's digest: the artifact's identity, known before pushing (e.g. for a tag that contains it).</summary>
    public OciDigest Digest { get; }

    internal IReadOnlyList<PreparedBlob> Blobs { get; }
}

/// <summary>One blob of a prepared artifact and where its bytes come from.</summary>
internal sealed record PreparedBlob(OciDescriptor Descriptor, byte[]? Bytes, string? Path)
{
    public Stream Open() => Bytes is { } bytes
        ? new MemoryStream(bytes, writable: false)
        : ArtifactContent.OpenFile(Path!);
}
