using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace Arc.Remote;

/// <summary>
/// A connection to one worker (gRPC over HTTP/2: cleartext on loopback, TLS with a pinned certificate elsewhere), every
/// call carrying the worker's token. Thread-safe and meant to be shared: every <see cref="RemoteModelClient{X, Y}"/> over
/// it multiplexes calls on its HTTP/2 connections.
/// </summary>
public sealed class ArcChannel : IDisposable
{
    private readonly GrpcChannel _channel;

    /// <summary>Connects (lazily, on the first call) to the worker at <paramref name="address"/>, e.g. <c>http://127.0.0.1:5000</c>.</summary>
    /// <exception cref="ArgumentException">The token is malformed, or a certificate to pin is given for a cleartext address.</exception>
    public ArcChannel(Uri address, ArcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new ArcChannelOptions();
        if (options.Token is { } token) ArcWorkerToken.Validate(token, nameof(options));
        if (options.ServerCertificate is not null && address.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"a certificate to pin was given, but {address} is not an https:// address", nameof(address));
        Address = address;
        SharedMemoryBatches = options.SharedMemoryBatches;
        MaxSendMessageBytes = options.MaxSendMessageBytes;
        var sockets = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            var check = new WorkerCertificateCheck(options.ServerCertificate);
            CertificateCheck = check;
            sockets.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) => check.Validate(presented, errors),
            };
        }
        HttpMessageHandler handler = options.Token is null ? sockets : new BearerTokenHandler(options.Token, sockets);
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxReceiveMessageBytes,
            MaxSendMessageSize = options.MaxSendMessageBytes,
            HttpHandler = handler,
            DisposeHttpClient = true,
        });
        CallInvoker = _channel.CreateCallInvoker();
    }

    /// <summary>The worker's address.</summary>
    public Uri Address { get; }

    /// <summary>How a TLS worker's certificate is checked (null for a cleartext address): what a refused handshake saw.</summary>
    internal WorkerCertificateCheck? CertificateCheck { get; }

    /// <summary>Whether pipelined fitting hands batches over through shared memory files (<see cref="ArcChannelOptions.SharedMemoryBatches"/>).</summary>
    internal bool SharedMemoryBatches { get; }

    /// <summary>The largest request this channel sends (<see cref="ArcChannelOptions.MaxSendMessageBytes"/>).</summary>
    internal int MaxSendMessageBytes { get; }

    /// <summary>The raw invoker, for callers that bring their own method descriptors.</summary>
    public CallInvoker CallInvoker { get; }

    /// <summary>Closes the connections.</summary>
    public void Dispose() => _channel.Dispose();

    /// <summary>Adds the worker token to every request.</summary>
    /// <remarks>
    /// The header goes in as one prepared string, unvalidated: a parsed <see cref="AuthenticationHeaderValue"/> would be
    /// stored in a per-request wrapper and formatted again into a new string on every call.
    /// </remarks>
    private sealed class BearerTokenHandler(string token, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly string _authorization = "Bearer " + token;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
