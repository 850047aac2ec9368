using System.Net;
using System.Security.Cryptography.X509Certificates;
using Arc.Tracking.Server;

namespace Arc.Tracking.Web;

/// <summary>
/// Where a <see cref="TrackingWebServer"/> listens and who may see and change what. The same tokens as the gRPC service
/// (<see cref="TrackingServerOptions.Tokens"/>) apply: a browser presents one through the token form, which keeps it in a
/// cookie; a token that only reads a namespace sees no write control there.
/// </summary>
public sealed record TrackingWebOptions
{
    /// <summary>The port the web UI listens on unless told otherwise (next to the service's 7740 and Prometheus' 7741).</summary>
    public const int DefaultPort = 7742;

    /// <summary>
    /// The address to bind: 127.0.0.1 by default. Any other address needs <see cref="Tokens"/> and a
    /// <see cref="Certificate"/>, as the gRPC service does (else the pages and the token cookie would be open to the network).
    /// </summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port (0: a free port the system picks; read <see cref="TrackingWebServer.Address"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The tokens a browser may present (empty: no token is asked for and everyone may write, loopback only).</summary>
    public IReadOnlyList<TrackingToken> Tokens { get; init; } = [];

    /// <summary>The TLS certificate (with its private key) to serve HTTPS with; null: plain HTTP, loopback only.</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Whether the server draws an experiment's PNG pictures (<see cref="ExperimentPictures"/>) when it ends, found in
    /// the event log; true by default. Needs a blob store (without one nothing is drawn).
    /// </summary>
    public bool PicturesWhenEnded { get; init; } = true;

    /// <summary>
    /// How often a live page (a running experiment's charts, the event feed) reads the store for changes. 500 ms by default.
    /// </summary>
    public TimeSpan LivePollInterval
    {
        get => _livePollInterval;
        init => _livePollInterval = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(LivePollInterval), value, "a live page polls every 1 tick to 1 minute");
    }

    private readonly TimeSpan _livePollInterval = TimeSpan.FromMilliseconds(500);
}
