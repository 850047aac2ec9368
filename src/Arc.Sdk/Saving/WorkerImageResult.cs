using Arc.Artifacts;

namespace Arc.Sdk;

/// <summary>A worker image that was built and pushed.</summary>
public sealed class WorkerImageResult
{
    internal WorkerImageResult(ArtifactReference reference, OciImage image, IReadOnlyList<string> systemLibraries, IReadOnlyList<string> unresolved)
    {
        Reference = reference;
        Digest = image.Digest;
        Manifest = image.Manifest;
        Config = image.Config;
        Layers = image.Layers.Select(layer => new WorkerImageLayer(layer.Name, layer.Descriptor, layer.DiffId, layer.UncompressedSize, layer.EntryCount)).ToArray();
        SystemLibraries = systemLibraries;
        UnresolvedLibraries = unresolved;
    }

    /// <summary>The pushed image, by tag and digest (<c>host/name:tag@sha256:…</c>); <c>podman pull</c> and Kubernetes take it as is.</summary>
    public ArtifactReference Reference { get; }

    /// <summary>The manifest digest.</summary>
    public OciDigest Digest { get; }

    /// <summary>The image manifest.</summary>
    public OciManifest Manifest { get; }

    /// <summary>How the image runs (entrypoint, environment, user, labels).</summary>
    public OciImageConfig Config { get; }

    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<WorkerImageLayer> Layers { get; }

    /// <summary>The host libraries copied into the system layer (their paths in the image are the same).</summary>
    public IReadOnlyList<string> SystemLibraries { get; }

    /// <summary>
    /// Libraries some native file links against that neither this machine's loader nor the image could find
    /// (<c>libname (needed by file)</c>). Empty for a complete image; otherwise that native file will fail to load in the
    /// container unless it is never loaded.
    /// </summary>
    public IReadOnlyList<string> UnresolvedLibraries { get; }

    /// <inheritdoc />
    public override string ToString() => Reference.ToString();
}

/// <summary>One layer of a worker image.</summary>
/// <param name="Name"><c>system-libraries</c>, <c>dotnet-runtime</c>, <c>app-runtime-assets</c> or <c>app</c>.</param>
/// <param name="Descriptor">The compressed blob.</param>
/// <param name="DiffId">The digest of the uncompressed tar.</param>
/// <param name="UncompressedSize">The tar's size in bytes.</param>
/// <param name="EntryCount">Files and directories in it.</param>
public sealed record WorkerImageLayer(string Name, OciDescriptor Descriptor, OciDigest DiffId, long UncompressedSize, int EntryCount);
