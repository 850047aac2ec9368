namespace Arc.Artifacts;

/// <summary>
/// The parts of referrer discovery both stores share: the referrers tag schema of the distribution spec (a tag
/// <c>sha256-&lt;hex&gt;</c> holding an image index of the manifests whose subject is <c>sha256:&lt;hex&gt;</c>), the index
/// entry a referrer gets, and the checks a pushed referrer must pass.
/// </summary>
internal static class OciReferrers
{
    /// <summary>The most referrers one index may list; a subject with more is refused rather than read without bound.</summary>
    public const int MaxReferrers = 1000;

    /// <summary>The referrers tag of <paramref name="subject"/>: <c>sha256-&lt;hex&gt;</c> (a tag may not contain ':').</summary>
    public static string TagFor(OciDigest subject) => $"{subject.Algorithm}-{subject.Hex}";

    /// <summary>Parses a manifest that is to be pushed as a referrer; refuses one without a subject or whose subject is not a manifest.</summary>
    public static OciManifest ParseReferrer(ReadOnlySpan<byte> manifest, string name)
    {
        var parsed = OciManifest.Parse(manifest, name);
        if (parsed.Subject is not { } subject)
            throw new ArgumentException($"{name} has no subject, so it refers to nothing: push it with PushManifestAsync, or set ArtifactContent.WithSubject", nameof(manifest));
        if (subject.MediaType != OciMediaTypes.ImageManifest)
            throw new ArgumentException($"{name}'s subject is a '{subject.MediaType}'; Arc's referrers refer to image manifests ({OciMediaTypes.ImageManifest})", nameof(manifest));
        return parsed;
    }

    /// <summary>The referrers-index entry of a referrer: its descriptor with its artifact type and annotations, as the referrers API lists it.</summary>
    public static OciDescriptor EntryFor(OciManifest referrer, OciDigest digest, long size)
        => new(OciMediaTypes.ImageManifest, digest, size, referrer.Annotations, referrer.ArtifactType ?? referrer.Config.MediaType);

    /// <summary><paramref name="existing"/> with <paramref name="entry"/> added (once), in a stable order.</summary>
    public static List<OciDescriptor> Add(IReadOnlyList<OciDescriptor> existing, OciDescriptor entry, string name)
    {
        var merged = existing.Where(descriptor => descriptor.Digest != entry.Digest).Append(entry).ToList();
        if (merged.Count > MaxReferrers)
            throw new ArtifactFormatException(name, $"the subject would have more than {MaxReferrers} referrers; refused");
        return merged;
    }

    /// <summary>The entries of a referrers index that are manifests of <paramref name="artifactType"/> (all manifests when null).</summary>
    public static IReadOnlyList<OciDescriptor> Filter(IReadOnlyList<OciDescriptor> entries, string? artifactType, string name)
    {
        if (entries.Count > MaxReferrers)
            throw new ArtifactFormatException(name, $"the referrers index lists {entries.Count} manifests, more than the {MaxReferrers} Arc reads; refused");
        return entries.Where(entry => entry.MediaType == OciMediaTypes.ImageManifest && (artifactType is null || entry.ArtifactType == artifactType)).ToList();
    }
}
