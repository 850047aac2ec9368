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

    /// <summary>
    /// Whether pipelined fitting (<see cref="RemoteModelClient{X, Y}.FitStreamAsync"/>) hands batches of 32 KiB and more
    /// to the worker through files in <c>/dev/shm</c> (memory, a directory only this user may enter) instead of the
    /// socket: one copy each way instead of HTTP/2 framing and socket buffers. Only for a worker on this machine run by
    /// the same user; <c>Target.LocalProcess</c> and <c>Target.LoopbackWorker</c> turn it on. Where <c>/dev/shm</c> does
    /// not exist, or refuses a file, batches travel inline. Default false.
    /// </summary>
    public bool SharedMemoryBatches { get; init; }
}
