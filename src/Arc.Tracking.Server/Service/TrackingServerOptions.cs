using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Arc.Tracking.Server;

/// <summary>
/// Where a <see cref="TrackingServer"/> listens, who may call it, how large a message it accepts, how often watches poll
/// and where Prometheus scrapes. A record with <c>init</c> properties, so later settings add properties without changing
/// how a server is started.
/// </summary>
public sealed record TrackingServerOptions
{
    /// <summary>The port a server listens on unless told otherwise.</summary>
    public const int DefaultPort = 7740;

    /// <summary>The port of the Prometheus endpoint of <c>arc server start</c> unless its config says otherwise.</summary>
    public const int DefaultMetricsPort = 7741;

    /// <summary>
    /// The address to bind: 127.0.0.1 by default. Any other address (one reachable from other machines) needs
    /// <see cref="Tokens"/> and a <see cref="Certificate"/>: without them the server refuses to start, since anyone who can
    /// reach the port could write, or read the tokens off the network.
    /// </summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port (0: a free port the system picks; read <see cref="TrackingServer.Address"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The largest request or reply in bytes (as <see cref="TrackingServerClient.MaxMessageBytes"/> by default).</summary>
    public int MaxMessageBytes { get; init; } = TrackingServerClient.MaxMessageBytes;

    /// <summary>
    /// The bearer tokens callers must present and the namespaces each opens (docs/tracking.md, "Access"). Empty (the
    /// default): no token is asked for, which only a loopback <see cref="Address"/> allows.
    /// </summary>
    public IReadOnlyList<TrackingToken> Tokens { get; init; } = [];

    /// <summary>The TLS certificate (with its private key) to serve HTTPS with; null: plain HTTP/2, which only a loopback <see cref="Address"/> allows.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// The port of the Prometheus endpoint <c>/metrics</c> on <see cref="Address"/> (0: a free port, read
    /// <see cref="TrackingServer.MetricsAddress"/>); null (the default for a server started in code): none.
    /// <c>arc server start</c> uses <see cref="DefaultMetricsPort"/>. A port of its own because Prometheus scrapes over
    /// HTTP/1.1 and the service's port speaks only HTTP/2 when it has no TLS.
    /// </summary>
    public int? MetricsPort { get; init; }

    /// <summary>
    /// How often a watch reads the store when this server made no change: the delay before a watch sees a change made by
    /// another process on a shared store (changes through this server wake watches at once). 250 ms by default.
    /// </summary>
    public TimeSpan WatchPollInterval
    {
        get => _watchPollInterval;
        init => _watchPollInterval = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(WatchPollInterval), value, "a watch polls every 1 tick to 1 minute");
    }

    private readonly TimeSpan _watchPollInterval = TimeSpan.FromMilliseconds(250);
}
