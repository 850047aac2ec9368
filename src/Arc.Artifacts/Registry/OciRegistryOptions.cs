using System.Security.Cryptography.X509Certificates;

namespace Arc.Artifacts;

/// <summary>How an <see cref="OciRegistryStore"/> talks to its registry: transport, limits and credentials.</summary>
public sealed class OciRegistryOptions
{
    /// <summary>The default <see cref="MaxBlobSize"/>: 4 GiB.</summary>
    public const long DefaultMaxBlobSize = 4L * 1024 * 1024 * 1024;

    /// <summary>The default <see cref="MaxTagListBytes"/>: 16 MiB.</summary>
    public const long DefaultMaxTagListBytes = 16L * 1024 * 1024;

    /// <summary>The default <see cref="IdleReadTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultIdleReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether to use plain HTTP. Null (the default) means HTTP for loopback registries (localhost, 127.0.0.0/8, ::1)
    /// and HTTPS for every other; true marks a registry explicitly insecure; false forces HTTPS even on loopback.
    /// </summary>
    public bool? PlainHttp { get; init; }

    /// <summary>Blobs up to this size go up in one PUT; larger ones in PATCH chunks of <see cref="ChunkSize"/>.</summary>
    public long MonolithicUploadLimit { get; init; } = 16 * 1024 * 1024;

    /// <summary>The size of one PATCH chunk of a chunked upload.</summary>
    public int ChunkSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>How many tags to ask for per page of <c>tags/list</c> (pages are followed through their Link headers).</summary>
    public int TagPageSize { get; init; } = 1000;

    /// <summary>
    /// The longest one HTTP request may take, its response body included (a whole blob upload or download is one or
    /// a few requests). Default 10 minutes.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The largest blob the store downloads (default <see cref="DefaultMaxBlobSize"/>, 4 GiB). A descriptor declaring
    /// more, or a registry announcing more in <c>Content-Length</c>, is refused before any byte is read or written to
    /// a temporary file.
    /// </summary>
    public long MaxBlobSize { get; init; } = DefaultMaxBlobSize;

    /// <summary>
    /// The most bytes of <c>tags/list</c> answers read for one listing, all pages together (default
    /// <see cref="DefaultMaxTagListBytes"/>, 16 MiB); a registry sending more is refused.
    /// </summary>
    public long MaxTagListBytes { get; init; } = DefaultMaxTagListBytes;

    /// <summary>
    /// How long a read waits for the next bytes of an answer (default <see cref="DefaultIdleReadTimeout"/>, 30 s): a
    /// response body that stalls this long fails, and so does a read request (GET, HEAD) whose answer does not start
    /// within it. Uploads wait up to <see cref="RequestTimeout"/> for their answer, since a registry may verify a
    /// large blob before it answers.
    /// </summary>
    public TimeSpan IdleReadTimeout { get; init; } = DefaultIdleReadTimeout;

    /// <summary>
    /// Credentials to use for this registry, ahead of any found in <see cref="AuthFiles"/>. Null (the default) looks
    /// them up the way <c>docker</c> and <c>podman</c>/<c>skopeo</c> do.
    /// </summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// The credential files to read, first match wins: Docker's <c>config.json</c> or a containers <c>auth.json</c>
    /// (same format: <c>auths</c>, <c>credsStore</c>, <c>credHelpers</c>). Null (the default) means
    /// <c>$REGISTRY_AUTH_FILE</c> alone when set, otherwise <c>$XDG_RUNTIME_DIR/containers/auth.json</c>,
    /// <c>$XDG_CONFIG_HOME/containers/auth.json</c> (<c>~/.config/…</c>), then <c>$DOCKER_CONFIG/config.json</c>
    /// (<c>~/.docker/config.json</c>). An empty list reads no file.
    /// </summary>
    public IReadOnlyList<string>? AuthFiles { get; init; }

    /// <summary>
    /// Where <c>docker-credential-&lt;name&gt;</c> helpers named by <c>credsStore</c>/<c>credHelpers</c> are looked
    /// for, as a PATH-style list; null (the default) means <c>$PATH</c>.
    /// </summary>
    public string? CredentialHelperPath { get; init; }

    /// <summary>
    /// Certificate authorities trusted for this registry's HTTPS (and its token and blob storage hosts) in addition to
    /// the system's, e.g. a private CA as in Docker's <c>certs.d/&lt;host&gt;/ca.crt</c>. Host names are still checked
    /// and validation is never turned off. Used only when the store creates its own HTTP client.
    /// </summary>
    public IReadOnlyList<X509Certificate2>? TrustedCertificateAuthorities { get; init; }
}
