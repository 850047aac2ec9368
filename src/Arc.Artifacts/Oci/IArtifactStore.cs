namespace Arc.Artifacts;

/// <summary>
/// One repository of OCI content: a repository of a registry (<see cref="OciRegistryStore"/>) or an OCI image
/// layout directory (<see cref="OciLayoutStore"/>). Everything read is verified against its digest and size
/// before it is returned; content that fails is refused with <see cref="ArtifactIntegrityException"/>.
/// To push a whole artifact, use <see cref="ArtifactStoreExtensions.PushAsync"/>. Dispose a store when done (a
/// registry store may own an HTTP client).
/// </summary>
public interface IArtifactStore : IDisposable
{
    /// <summary>The repository this store reads and writes (no tag or digest).</summary>
    ArtifactReference Repository { get; }

    /// <summary>Whether the store already holds the blob <paramref name="digest"/> (so a push can skip it).</summary>
    Task<bool> HasBlobAsync(OciDigest digest, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the bytes of <paramref name="content"/> (read from its current position, exactly
    /// <see cref="OciDescriptor.Size"/> of them) as the blob <paramref name="descriptor"/> names; content that does
    /// not match the descriptor is refused. Pushing a blob the store holds already is harmless.
    /// </summary>
    Task PushBlobAsync(OciDescriptor descriptor, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a manifest (its blobs must be pushed first) and, when <paramref name="tag"/> is given, points the tag
    /// at it (moving the tag if it pointed elsewhere). Returns the manifest's digest.
    /// </summary>
    Task<OciDigest> PushManifestAsync(ReadOnlyMemory<byte> manifest, string? tag, CancellationToken cancellationToken = default);

    /// <summary>The digest of the manifest <paramref name="tag"/> points at; <see cref="ArtifactNotFoundException"/> when there is no such tag.</summary>
    Task<OciDigest> ResolveAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>The manifest a tag or a digest (<c>sha256:…</c>) names, verified and parsed.</summary>
    Task<PulledManifest> PullManifestAsync(string tagOrDigest, CancellationToken cancellationToken = default);

    /// <summary>
    /// A read-only stream of the blob <paramref name="descriptor"/> names, already verified against its digest and
    /// size (large blobs are verified into a temporary file first). Dispose it when done.
    /// </summary>
    Task<Stream> OpenBlobAsync(OciDescriptor descriptor, CancellationToken cancellationToken = default);

    /// <summary>Every tag in the repository, sorted ordinally; empty when the repository does not exist yet.</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a manifest that has a <see cref="OciManifest.Subject"/> (its blobs pushed first; the subject must be in the
    /// store) untagged, and records it among the subject's referrers so that <see cref="ListReferrersAsync"/> finds it:
    /// through the registry's referrers API where it has one, else in the referrers tag schema (the tag
    /// <c>sha256-&lt;hex of the subject&gt;</c> holding an image index of the referrers), which is also what an image
    /// layout uses. Pushing the same referrer again is harmless. Returns the referrer's digest.
    /// </summary>
    Task<OciDigest> PushReferrerAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default);

    /// <summary>
    /// The descriptors of the manifests that name <paramref name="subject"/> as their subject (each with its artifact
    /// type and annotations), only those of <paramref name="artifactType"/> when given; empty when there are none.
    /// The list is what the store says: a referrer must still be pulled (verified) and checked before it is believed.
    /// </summary>
    Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(OciDigest subject, string? artifactType = null, CancellationToken cancellationToken = default);
}

/// <summary>A manifest read from a store: its verified bytes, digest and parsed form.</summary>
public sealed class PulledManifest
{
    /// <summary>Creates the result.</summary>
    public PulledManifest(ArtifactReference reference, OciDigest digest, ReadOnlyMemory<byte> bytes, OciManifest manifest)
    {
        Reference = reference;
        Digest = digest;
        Bytes = bytes;
        Manifest = manifest;
    }

    /// <summary>The manifest's reference pinned by digest (<c>…@sha256:…</c>).</summary>
    public ArtifactReference Reference { get; }

    /// <summary>The manifest's digest (the hash of <see cref="Bytes"/>).</summary>
    public OciDigest Digest { get; }

    /// <summary>The manifest exactly as stored.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The parsed manifest.</summary>
    public OciManifest Manifest { get; }
}
