namespace Arc.Artifacts;

/// <summary>Media types of the OCI image spec that Arc's artifact stores read and write.</summary>
public static class OciMediaTypes
{
    /// <summary>An OCI image manifest: every Arc artifact is one.</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image index: the <c>index.json</c> of an image layout.</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>The empty descriptor's media type (content <c>{}</c>), the config of an artifact that needs none.</summary>
    public const string Empty = "application/vnd.oci.empty.v1+json";

    /// <summary>Opaque bytes.</summary>
    public const string OctetStream = "application/octet-stream";
}

/// <summary>Annotation keys of the OCI image spec.</summary>
public static class OciAnnotations
{
    /// <summary>A layer's file name (as ORAS and other artifact tools use it); unique within an Arc artifact.</summary>
    public const string Title = "org.opencontainers.image.title";

    /// <summary>In an image layout's <c>index.json</c>: the tag a manifest answers to.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>When the artifact was made (RFC 3339). Arc never adds it itself: it would make equal content differ.</summary>
    public const string Created = "org.opencontainers.image.created";
}
