
namespace Arc.Artifacts;

/// <summary>
/// A runnable OCI image ready to push: written layers (bottom first), its config document and the image manifest
/// that ties them together. The manifest's digest is known before anything is pushed.
/// </summary>
public sealed class OciImage
{
    readonly byte[] _config;
    readonly byte[] _manifest;

    /// <summary>Assembles the image from <paramref name="layers"/> (bottom first) and <paramref name="config"/>.</summary>
    public OciImage(IReadOnlyList<ImageLayer> layers, OciImageConfig config, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(config);
        if (layers.Count == 0) throw new ArgumentException("an image needs at least one layer", nameof(layers));
        Layers = layers;
        Config = config;
        _config = config.ToJson(layers.Select(layer => layer.DiffId));
        ConfigDescriptor = OciDescriptor.For(OciImageMediaTypes.ImageConfig, _config);
        // No artifactType: this is a plain image that runtimes run, not an artifact.
        Manifest = new OciManifest(null, ConfigDescriptor, layers.Select(layer => layer.Descriptor).ToArray(), annotations);
        _manifest = Manifest.ToJson();
        Digest = OciDigest.Compute(_manifest);
    }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<ImageLayer> Layers { get; }

    /// <summary>How the image runs.</summary>
    public OciImageConfig Config { get; }

    /// <summary>The config blob's descriptor (<see cref="OciImageMediaTypes.ImageConfig"/>).</summary>
    public OciDescriptor ConfigDescriptor { get; }

    /// <summary>The config document's exact bytes.</summary>
    public ReadOnlyMemory<byte> ConfigBytes => _config;

    /// <summary>The image manifest.</summary>
    public OciManifest Manifest { get; }

    /// <summary>The manifest's exact bytes.</summary>
    public ReadOnlyMemory<byte> ManifestBytes => _manifest;

    /// <summary>The manifest digest: the image's identity (<c>repository@sha256:…</c>).</summary>
    public OciDigest Digest { get; }

    /// <summary>
    /// Pushes the blobs <paramref name="store"/> lacks (config, then layers), then the manifest tagged
    /// <paramref name="tag"/>. Returns the reference pinned to both tag and digest.
    /// </summary>
    public async Task<ArtifactReference> PushAsync(IArtifactStore store, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        if (!await store.HasBlobAsync(ConfigDescriptor.Digest, cancellationToken).ConfigureAwait(false))
        {
            var config = new MemoryStream(_config, writable: false);
            await using var configDisposal = config.ConfigureAwait(false);
            await store.PushBlobAsync(ConfigDescriptor, config, cancellationToken).ConfigureAwait(false);
        }
        foreach (var layer in Layers.DistinctBy(layer => layer.Descriptor.Digest))
        {
            if (await store.HasBlobAsync(layer.Descriptor.Digest, cancellationToken).ConfigureAwait(false)) continue;
            var content = new FileStream(layer.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var contentDisposal = content.ConfigureAwait(false);
            await store.PushBlobAsync(layer.Descriptor, content, cancellationToken).ConfigureAwait(false);
        }
        var pushed = await store.PushManifestAsync(_manifest, tag, cancellationToken).ConfigureAwait(false);
        if (pushed != Digest)
            throw new ArtifactIntegrityException(store.Repository.WithTag(tag).ToString(), Digest, _manifest.Length, pushed, _manifest.Length,
                "the store reports a different digest for the image manifest it was sent");
        var tagged = store.Repository.WithTag(tag);
        return ArtifactReference.Parse(tagged + "@" + Digest);
    }
}
