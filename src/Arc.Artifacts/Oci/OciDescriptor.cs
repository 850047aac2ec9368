namespace Arc.Artifacts;

/// <summary>
/// An OCI content descriptor: what a piece of content is (<see cref="MediaType"/>), its address
/// (<see cref="Digest"/>) and its exact length (<see cref="Size"/>). Stores refuse content that disagrees with
/// either of the last two.
/// </summary>
public sealed record OciDescriptor
{
    /// <summary>Creates a descriptor; <paramref name="size"/> must not be negative.</summary>
    public OciDescriptor(string mediaType, OciDigest digest, long size, IReadOnlyDictionary<string, string>? annotations = null, string? artifactType = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(mediaType);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        MediaType = mediaType;
        Digest = digest;
        Size = size;
        Annotations = annotations ?? EmptyAnnotations;
        ArtifactType = artifactType;
    }

    internal static readonly IReadOnlyDictionary<string, string> EmptyAnnotations = new Dictionary<string, string>();

    /// <summary>The content's media type.</summary>
    public string MediaType { get; }

    /// <summary>The content's sha256 digest.</summary>
    public OciDigest Digest { get; }

    /// <summary>The content's exact length in bytes.</summary>
    public long Size { get; }

    /// <summary>Annotations (string to string); empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>For a descriptor of a manifest: the manifest's artifact type, when it has one.</summary>
    public string? ArtifactType { get; }

    /// <summary>The <c>org.opencontainers.image.title</c> annotation (a layer's file name), or null.</summary>
    public string? Title => Annotations.TryGetValue(OciAnnotations.Title, out var title) ? title : null;

    /// <summary>The descriptor of <paramref name="content"/> with <paramref name="mediaType"/>.</summary>
    public static OciDescriptor For(string mediaType, ReadOnlySpan<byte> content, IReadOnlyDictionary<string, string>? annotations = null)
        => new(mediaType, OciDigest.Compute(content), content.Length, annotations);

    /// <summary>The empty JSON object <c>{}</c> that an artifact without a config of its own uses as config.</summary>
    public static ReadOnlyMemory<byte> EmptyJson { get; } = "{}"u8.ToArray();

    /// <summary>The descriptor of <see cref="EmptyJson"/> (<c>application/vnd.oci.empty.v1+json</c>).</summary>
    public static OciDescriptor Empty { get; } = For(OciMediaTypes.Empty, EmptyJson.Span);

    /// <inheritdoc/>
    public bool Equals(OciDescriptor? other)
        => other is not null && MediaType == other.MediaType && Digest == other.Digest && Size == other.Size
           && ArtifactType == other.ArtifactType && SameAnnotations(Annotations, other.Annotations);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(MediaType, Digest, Size);

    internal static bool SameAnnotations(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
        => a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
