using Grpc.Core;
using Grpc.Net.Client;

namespace Arc.Remote;

/// <summary>
/// A connection to one worker (gRPC over cleartext HTTP/2). Thread-safe and meant to be shared: every
/// <see cref="RemoteModelClient{X, Y}"/> over it multiplexes calls on its HTTP/2 connections.
/// </summary>
public sealed class ArcChannel : IDisposable
{
    private readonly GrpcChannel _channel;

    /// <summary>Connects (lazily, on the first call) to the worker at <paramref name="address"/>, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    public ArcChannel(Uri address, ArcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new ArcChannelOptions();
        Address = address;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes,
            MaxSendMessageSize = options.MaxSendMessageBytes,
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
        });
        CallInvoker = _channel.CreateCallInvoker();
    }

    /// <summary>The worker's address.</summary>
    public Uri Address { get; }

    /// <summary>The raw invoker, for callers that bring their own method descriptors.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>Closes the connections.</summary>
    public void Dispose() => _channel.Dispose();
}
