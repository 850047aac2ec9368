using System.Security.Cryptography.X509Certificates;

namespace Arc.Remote;

/// <summary>How an <see cref="ArcChannel"/> reaches a worker: its token, the certificate to pin, and client-side limits.</summary>
public sealed record ArcChannelOptions
{
    /// <summary>
    /// The worker's token, sent with every call as <c>authorization: Bearer &lt;token&gt;</c>. Every Arc worker requires
    /// one (<c>ArcWorkerHost.Token</c>); without it calls fail with <c>Unauthenticated</c>.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// For a worker serving TLS (<c>https://</c>): the exact certificate it must present. The connection is refused when
    /// the worker presents any other, whoever signed it; no certificate authority is consulted. Null uses the system's
    /// trust store (a worker behind a certificate from a public or company CA).
    /// </summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>The default limit on one message in either direction, the same on the client and the worker (256 MiB).</summary>
    public const int DefaultMaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>The largest reply the client reads.</summary>
    public int MaxReceiveMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The largest request the client sends.</summary>
    public int MaxSendMessageBytes { get; init; } = DefaultMaxMessageBytes;
}
