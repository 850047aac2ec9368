namespace Arc.Artifacts;

/// <summary>Media types of a runnable OCI image (image-spec v1.1), as opposed to the artifact types of <see cref="Artifacts.OciMediaTypes"/>.</summary>
public static class OciImageMediaTypes
{
    /// <summary>The image configuration: platform, rootfs diff ids and how to run the image.</summary>
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

    /// <summary>A filesystem layer: a tar archive compressed with gzip.</summary>
    public const string LayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
}
