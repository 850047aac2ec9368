namespace Arc.Remote;

/// <summary>Client-side limits of an <see cref="ArcChannel"/>.</summary>
public sealed record ArcChannelOptions
{
    /// <summary>The largest reply the client reads.</summary>
    public int MaxReceiveMessageBytes { get; init; } = ArcWorkerOptions.DefaultMaxMessageBytes;

    /// <summary>The largest request the client sends.</summary>
    public int MaxSendMessageBytes { get; init; } = ArcWorkerOptions.DefaultMaxMessageBytes;
}
