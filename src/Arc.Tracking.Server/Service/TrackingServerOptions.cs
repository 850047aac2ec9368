using System.Net;

namespace Arc.Tracking.Server;

/// <summary>Where a <see cref="TrackingServer"/> listens and how large a message it accepts.</summary>
public sealed record TrackingServerOptions
{
    /// <summary>The port a server listens on unless told otherwise.</summary>
    public const int DefaultPort = 7740;

    /// <summary>
    /// The address to bind: 127.0.0.1 by default. Only loopback addresses are accepted until the server checks namespace
    /// tokens (issue #13 item 6): a server reachable from other machines without them would let anyone write.
    /// </summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The port (0: a free port the system picks; read <see cref="TrackingServer.Address"/>).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The largest request or reply in bytes (as <see cref="TrackingServerClient.MaxMessageBytes"/> by default).</summary>
    public int MaxMessageBytes { get; init; } = TrackingServerClient.MaxMessageBytes;
}
