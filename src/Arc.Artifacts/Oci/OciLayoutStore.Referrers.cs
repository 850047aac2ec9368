namespace Arc.Artifacts;

// Referrers in an image layout. The image-layout spec defines no referrers API, so the layout keeps them as the
// distribution spec's referrers tag schema does: the tag sha256-<hex of the subject> in index.json points at an image
// index (a blob) listing the referrers. One scheme for both stores, and a layout copied to a registry (oras cp, skopeo)
// carries its signatures along as an ordinary tag.
public sealed partial class OciLayoutStore
{
    const string ReferrersLockFileName = "referrers.lock";

    /// <inheritdoc/>
    public async Task<OciDigest> PushReferrerAsync(ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken = default)
    {
        var digest = OciDigest.Compute(manifest.Span);
        string name = Repository.WithDigest(digest).ToString();
        var referrer = OciReferrers.ParseReferrer(manifest.Span, name);
        var subject = referrer.Subject!;
        RequireLayout(name);
        if (!File.Exists(BlobPath(subject.Digest)))
            throw new ArtifactNotFoundException(name, $"cannot store {name}: its subject {subject.Digest} is not in the OCI layout {Root}; push what it refers to first");
        await PushManifestAsync(manifest, tag: null, cancellationToken).ConfigureAwait(false);

        // The referrers index is read, extended and rewritten; its own lock (index.json's is taken inside TagAsync) keeps
        // two signers of the same subject, in this process or another, from dropping each other's entry.
        using var gate = await LayoutLock.AcquireAsync(Path.Combine(Root, ReferrersLockFileName), LockTimeout, cancellationToken).ConfigureAwait(false);
        var existing = await ReadReferrersAsync(subject.Digest, cancellationToken).ConfigureAwait(false);
        var entry = OciReferrers.EntryFor(referrer, digest, manifest.Length);
        if (existing.Contains(entry)) return digest;
        var index = OciJson.WriteIndex(OciReferrers.Add(existing, entry, name));
        var descriptor = OciDescriptor.For(OciMediaTypes.ImageIndex, index);
        using (var stream = new MemoryStream(index, writable: false))
            await PushBlobAsync(descriptor, stream, cancellationToken).ConfigureAwait(false);
        await TagAsync(descriptor, OciReferrers.TagFor(subject.Digest), cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<OciDescriptor>> ListReferrersAsync(OciDigest subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!File.Exists(Path.Combine(Root, LayoutFileName))) return [];
        return OciReferrers.Filter(await ReadReferrersAsync(subject, cancellationToken).ConfigureAwait(false), artifactType,
            Repository.WithTag(OciReferrers.TagFor(subject)).ToString());
    }

    async Task<IReadOnlyList<OciDescriptor>> ReadReferrersAsync(OciDigest subject, CancellationToken cancellationToken)
    {
        string tag = OciReferrers.TagFor(subject);
        string name = Repository.WithTag(tag).ToString();
        var entries = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        var entry = entries.LastOrDefault(e => e.Annotations.TryGetValue(OciAnnotations.RefName, out var refName) && refName == tag);
        if (entry is null) return [];
        if (entry.MediaType != OciMediaTypes.ImageIndex)
            throw new ArtifactFormatException(name, $"the referrers tag points at a '{entry.MediaType}', not an image index ({OciMediaTypes.ImageIndex})");
        var bytes = await this.ReadBlobAsync(entry, VerifiedContent.MaxManifestSize, cancellationToken).ConfigureAwait(false);
        return OciJson.ReadIndex(bytes, name);
    }
}
