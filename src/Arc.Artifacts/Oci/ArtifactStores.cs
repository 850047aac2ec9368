namespace Arc.Artifacts;

/// <summary>Opens the store an <see cref="ArtifactReference"/> points into.</summary>
public static class ArtifactStores
{
    /// <summary>
    /// The store for <paramref name="reference"/>'s repository: an <see cref="OciLayoutStore"/> for
    /// <c>oci-layout:</c> references, else an <see cref="OciRegistryStore"/> (configured by <paramref name="registryOptions"/>).
    /// The caller disposes it.
    /// </summary>
    public static IArtifactStore Open(ArtifactReference reference, OciRegistryOptions? registryOptions = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Kind == ArtifactStoreKind.Layout
            ? new OciLayoutStore(reference.Repository)
            : new OciRegistryStore(reference, registryOptions);
    }

    /// <summary>Opens the store for <paramref name="reference"/> and pulls the manifest it names (by digest if it has one, else by tag).</summary>
    public static async Task<PulledManifest> PullManifestAsync(ArtifactReference reference, OciRegistryOptions? registryOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.TagOrDigest is not { } selector)
            throw new ArgumentException($"'{reference}' names a repository, not an artifact: add :<tag> or @sha256:<digest>", nameof(reference));
        using var store = Open(reference, registryOptions);
        return await store.PullManifestAsync(selector, cancellationToken).ConfigureAwait(false);
    }
}
