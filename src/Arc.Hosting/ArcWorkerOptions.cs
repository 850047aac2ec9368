using System.Net;
using System.Security.Cryptography.X509Certificates;
using Arc.Remote;


namespace Arc.Hosting;

/// <summary>How an <see cref="ArcWorkerHost"/> listens, whom it serves and what it accepts.</summary>
/// <remarks>
/// The limits bound what a flood can cost the worker. Memory: a running call holds its whole request, a queued call only
/// what HTTP/2 lets its client send before the worker reads (<see cref="CallReceiveWindowBytes"/>), and a call beyond the
/// queue is refused at once, so however many calls arrive the requests held stay within
/// <see cref="RequestMemoryBudgetBytes"/>. Connections: idle and half-open ones are closed after
/// <see cref="IdleConnectionTimeout"/> and <see cref="HandshakeTimeout"/>. docs/remote-protocol.md lists the defaults.
/// </remarks>
public sealed record ArcWorkerOptions
{
    /// <summary>The default message size limit: a few large batches of images fit, a forged or runaway one does not.</summary>
    public const int DefaultMaxMessageBytes = ArcChannelOptions.DefaultMaxMessageBytes;

    /// <summary>The address to bind; loopback unless a deployment says otherwise. Any other address needs <see cref="Certificate"/>.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port to bind; 0 asks the OS for a free one (read it back from <see cref="ArcWorkerHost.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// The token every call must carry (<c>authorization: Bearer &lt;token&gt;</c>); calls without it get
    /// <c>Unauthenticated</c> before anything is decoded. Null (the default) makes the host generate a fresh one, which it
    /// exposes as <see cref="ArcWorkerHost.Token"/>: a worker never serves without a token.
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// The TLS certificate (with its private key) the worker serves with. Required when <see cref="Address"/> is not a
    /// loopback address: a worker reachable from the network never speaks cleartext. Clients pin it
    /// (<see cref="ArcChannelOptions.ServerCertificate"/>).
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// The largest request the worker reads (default 256 MiB); a larger one gets <c>ResourceExhausted</c> as soon as its
    /// length is read, before its body is buffered.
    /// </summary>
    public int MaxReceiveMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The largest reply the worker sends; larger ones fail with <c>ResourceExhausted</c>.</summary>
    public int MaxSendMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>
    /// Calls the worker runs at once (default 8). Each holds its whole request, up to <see cref="MaxReceiveMessageBytes"/>,
    /// and its decoded arrays, about as large again.
    /// </summary>
    public int MaxConcurrentCalls { get; init; } = 8;

    /// <summary>
    /// Authenticated calls that wait for one of <see cref="MaxConcurrentCalls"/> (default 64). Waiting calls have not
    /// read their bodies; a call beyond this queue gets <c>ResourceExhausted</c> at once.
    /// </summary>
    public int MaxQueuedCalls { get; init; } = 64;

    /// <summary>
    /// How much of a call's request the worker accepts before it reads it (its HTTP/2 stream window; default 1 MiB,
    /// at least 65,535). A queued call holds at most this much; a running call reads on, a window at a time. A smaller
    /// window costs upload speed (about one window per round trip), and it stops a <c>FitStream</c> client from sending
    /// the next batch while the worker fits one: with 64 KiB, a 197 KiB MNIST step through a worker took 3× as long as
    /// with 1 MiB (docs/performance.md, "Remote overhead").
    /// </summary>
    public int CallReceiveWindowBytes { get; init; } = DefaultCallReceiveWindowBytes;

    /// <summary>The default <see cref="CallReceiveWindowBytes"/>: 1 MiB, a few batches of small images (64 MNIST digits are 197 KiB).</summary>
    public const int DefaultCallReceiveWindowBytes = 1024 * 1024;

    /// <summary>The smallest <see cref="CallReceiveWindowBytes"/>: HTTP/2's initial window (RFC 9113 §6.9.2), below which Kestrel refuses.</summary>
    public const int MinimumCallReceiveWindowBytes = 65_535;

    /// <summary>
    /// The most request bytes these limits let the worker hold, however many calls arrive:
    /// <see cref="MaxConcurrentCalls"/> × <see cref="MaxReceiveMessageBytes"/> for the running calls plus
    /// <see cref="MaxQueuedCalls"/> × <see cref="CallReceiveWindowBytes"/> for the waiting ones (with the defaults
    /// 2 GiB + 64 MiB; lower <see cref="MaxReceiveMessageBytes"/> to the largest request the model takes). A refused call
    /// holds one window for the moment its refusal takes. The decoded arrays of the running calls cost about as much
    /// again, and the model's own working memory comes on top: size a worker's memory as its idle footprint + 2 × this +
    /// what one step of the model needs.
    /// </summary>
    public long RequestMemoryBudgetBytes
        => (long)MaxConcurrentCalls * MaxReceiveMessageBytes + (long)MaxQueuedCalls * CallReceiveWindowBytes;

    /// <summary>Open connections (default 1,000; about 26 KB each). Connections beyond it are closed as they arrive.</summary>
    public int MaxConnections { get; init; } = 1000;

    /// <summary>Concurrent HTTP/2 streams (calls) per connection (default 100); clients open more connections for more.</summary>
    public int MaxStreamsPerConnection { get; init; } = 100;

    /// <summary>A connection with no call in flight is closed after this long (default 2 minutes); clients reconnect on their next call.</summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A connection must finish its HTTP/2 preface and first headers within this time (default 10 s), or it is closed.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The deadline of a unary call whose caller set none (default 10 minutes); the call is cancelled with
    /// <c>DeadlineExceeded</c> after it. Streams (fitting a stream of batches, a job's batches) are exempt: they may run for hours.
    /// </summary>
    public TimeSpan DefaultCallDeadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Whether a model exception's stack trace travels to the caller (default false: the caller gets its type and message,
    /// the stack stays in the worker's log). Turn it on for a worker only its owner calls, while debugging.
    /// </summary>
    public bool DetailedErrors { get; init; }
}
