namespace Arc.Remote;

/// <summary>How an <see cref="ArcWorkerHost"/> listens and what it accepts.</summary>
public sealed record ArcWorkerOptions
{
    /// <summary>The default message size limit: a few large batches of images fit, a forged or runaway one does not.</summary>
    public const int DefaultMaxMessageBytes = 256 * 1024 * 1024;

    /// <summary>The address to bind; loopback unless a deployment says otherwise.</summary>
    public System.Net.IPAddress Address { get; init; } = System.Net.IPAddress.Loopback;

    /// <summary>The port to bind; 0 asks the OS for a free one (read it back from <see cref="ArcWorkerHost.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>The largest request the worker reads; larger ones get <c>ResourceExhausted</c> before decoding.</summary>
    public int MaxReceiveMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>The largest reply the worker sends; larger ones fail with <c>ResourceExhausted</c>.</summary>
    public int MaxSendMessageBytes { get; init; } = DefaultMaxMessageBytes;
}
