namespace Arc.Artifacts;

/// <summary>Whole-artifact operations on any <see cref="IArtifactStore"/>.</summary>
public static class ArtifactStoreExtensions
{
    /// <summary>
    /// Pushes <paramref name="artifact"/>: each blob the store lacks, then the manifest, tagged <paramref name="tag"/>.
    /// Pushing equal content again stores nothing new and returns the same digest.
    /// </summary>
    public static async Task<ArtifactReference> PushAsync(this IArtifactStore store, PreparedArtifact artifact, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(artifact);
        if (ArtifactReferenceGrammar.CheckTag(tag ?? "") is { } tagError) throw new ArgumentException(tagError, nameof(tag));
        await PushBlobsAsync(store, artifact, cancellationToken).ConfigureAwait(false);
        var digest = await store.PushManifestAsync(artifact.ManifestBytes, tag, cancellationToken).ConfigureAwait(false);
        if (digest != artifact.Digest)
            throw new ArtifactIntegrityException(store.Repository.WithTag(tag!).ToString(), artifact.Digest, artifact.ManifestBytes.Length, digest, artifact.ManifestBytes.Length,
                "the store reports a different digest for the manifest it was sent");
        return store.Repository.WithTag(tag!);
    }

    /// <summary>
    /// Pushes <paramref name="artifact"/>, which has a subject (<see cref="ArtifactContent.WithSubject"/>), as a referrer of
    /// that subject: each blob the store lacks, then the manifest through <see cref="IArtifactStore.PushReferrerAsync"/>.
    /// </summary>
    public static async Task<OciDigest> PushReferrerAsync(this IArtifactStore store, PreparedArtifact artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(artifact);
        if (artifact.Manifest.Subject is null)
            throw new ArgumentException("the artifact has no subject, so it refers to nothing: set ArtifactContent.WithSubject, or push it with PushAsync", nameof(artifact));
        await PushBlobsAsync(store, artifact, cancellationToken).ConfigureAwait(false);
        var digest = await store.PushReferrerAsync(artifact.ManifestBytes, cancellationToken).ConfigureAwait(false);
        if (digest != artifact.Digest)
            throw new ArtifactIntegrityException(store.Repository.WithDigest(artifact.Digest).ToString(), artifact.Digest, artifact.ManifestBytes.Length, digest,
                artifact.ManifestBytes.Length, "the store reports a different digest for the manifest it was sent");
        return digest;
    }

    static async Task PushBlobsAsync(IArtifactStore store, PreparedArtifact artifact, CancellationToken cancellationToken)
    {
        foreach (var blob in artifact.Blobs.DistinctBy(blob => blob.Descriptor.Digest))
        {
            if (await store.HasBlobAsync(blob.Descriptor.Digest, cancellationToken).ConfigureAwait(false)) continue;
            var content = blob.Open();
            await using var contentDisposal = content.ConfigureAwait(false);
            await store.PushBlobAsync(blob.Descriptor, content, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a whole blob into memory, verified; refuses (before reading) a blob whose declared size exceeds
    /// <paramref name="maxBytes"/>, so a forged descriptor cannot make it allocate much.
    /// </summary>
    public static async Task<byte[]> ReadBlobAsync(this IArtifactStore store, OciDescriptor descriptor, int maxBytes = VerifiedContent.MemoryLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxBytes)
            throw new ArtifactFormatException(store.Repository.WithDigest(descriptor.Digest).ToString(),
                $"the blob declares {descriptor.Size} bytes, more than the {maxBytes} this read allows");
        var stream = await store.OpenBlobAsync(descriptor, cancellationToken).ConfigureAwait(false);
        await using var streamDisposal = stream.ConfigureAwait(false);
        var bytes = new byte[descriptor.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>Reads the layer titled <paramref name="title"/> of a pulled manifest; <see cref="ArtifactNotFoundException"/> when it has none.</summary>
    public static Task<Stream> OpenLayerAsync(this IArtifactStore store, PulledManifest manifest, string title, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        var layer = manifest.Manifest.FindLayer(title)
                    ?? throw new ArtifactNotFoundException(manifest.Reference.ToString(), $"{manifest.Reference} has no layer titled '{title}'");
        return store.OpenBlobAsync(layer, cancellationToken);
    }
}
