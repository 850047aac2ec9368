using System.Net;

namespace Arc.Tracking.Server;

/// <summary>
/// Where a <see cref="TrackingServer"/> listens, how large a message it accepts and how often watches poll. A record
/// with <c>init</c> properties, so later settings (configuration files, access tokens, metrics) add properties without
/// changing how a server is started.
/// </summary>
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
