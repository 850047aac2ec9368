using System.IO.Compression;
using Arc.Artifacts;

namespace Arc.Sdk;

/// <summary>Where a worker image goes and what goes into it (see <see cref="WorkerImage"/>).</summary>
public sealed record WorkerImageOptions
{
    /// <summary>
    /// The repository to push to: a registry repository (<c>host[:port]/name</c>) or an OCI layout
    /// (<c>oci-layout:&lt;directory&gt;</c>). A tag in it is used when <see cref="Tag"/> is null.
    /// </summary>
    public required ArtifactReference Repository { get; init; }

    /// <summary>
    /// The tag; null: the repository reference's tag, else <c>worker-&lt;model&gt;-&lt;12 hex of the manifest digest&gt;</c>,
    /// so equal images get equal tags and different ones never share a tag.
    /// </summary>
    public string? Tag { get; init; }

    /// <summary>How to reach a registry (plain HTTP, HTTP client); ignored for a layout.</summary>
    public OciRegistryOptions? RegistryOptions { get; init; }

    /// <summary>
    /// The model's build output folder, which becomes <c>/app</c>; null: the folder of the assembly that declares the model.
    /// It must hold <c>Arc.Worker.dll</c> (reference the Arc.Worker project).
    /// </summary>
    public string? AppDirectory { get; init; }

    /// <summary>
    /// Whether the app's native libraries for Linux (<c>runtimes/linux-*/native/</c>: libtorch and TorchSharp's natives,
    /// ~480 MB with the CPU libtorch) go into the image. Leave on for a model that uses torch; a model that never
    /// touches torch runs without them.
    /// </summary>
    public bool IncludeNativeLibraries { get; init; } = true;

    /// <summary>The .NET installation whose host and shared frameworks are copied; null: the one running this process.</summary>
    public string? DotnetRoot { get; init; }

    /// <summary>
    /// Whether OpenSSL (libssl and the libcrypto it links) goes into the image. The .NET runtime opens it with
    /// <c>dlopen</c> for hashing and TLS and aborts without it, so leave this on unless the image gets OpenSSL another way.
    /// CA certificates are not included: a model that calls HTTPS services needs them added.
    /// </summary>
    public bool IncludeOpenSsl { get; init; } = true;

    /// <summary>
    /// More host libraries to carry (full paths, with their own ELF dependencies), for what the runtime or the model opens
    /// with <c>dlopen</c> and <c>ldd</c> cannot see (OpenSSL is handled by <see cref="IncludeOpenSsl"/>).
    /// Each goes to the same path in the image.
    /// </summary>
    public IReadOnlyList<string> AdditionalSystemLibraries { get; init; } = [];

    /// <summary>More environment variables for the image (<c>NAME=value</c>); they come after Arc's own and may override them.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>The user the worker runs as; default <c>65534:65534</c> (nobody), so the container does not run as root.</summary>
    public string User { get; init; } = "65534:65534";

    /// <summary>The gzip level of the layers (the level is part of the bytes: change it and the digests change).</summary>
    public CompressionLevel Compression { get; init; } = CompressionLevel.Optimal;

    /// <summary>Where layers are written before the push; null: a temporary folder, deleted afterwards.</summary>
    public string? WorkDirectory { get; init; }
}
