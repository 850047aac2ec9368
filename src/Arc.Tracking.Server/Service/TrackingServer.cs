using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Arc.Tracking.Server;

/// <summary>
/// The tracking service (<c>arc.tracking.v1.TrackingService</c>, protos/arc/tracking/v1/tracking.proto) on Kestrel over
/// HTTP/2, serving one <see cref="IMetadataStore"/>. Call it with <see cref="TrackingServerClient"/> or any gRPC client
/// built from the .proto file.
/// </summary>
/// <remarks>
/// The server does not own the store: dispose the server first, then the store. Stopping ends running watches with
/// Unavailable (their callers resume from the last event id on a running server).
/// </remarks>
public sealed class TrackingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private TrackingServer(WebApplication app, Uri address, Uri? metricsAddress)
    {
        _app = app;
        Address = address;
        MetricsAddress = metricsAddress;
    }

    /// <summary>Where the server listens (<c>http://127.0.0.1:port</c>), with the port the system picked when it was 0.</summary>
    public Uri Address { get; }

    /// <summary>Where Prometheus scrapes (<c>http://127.0.0.1:port/metrics</c>); null when <see cref="TrackingServerOptions.MetricsPort"/> is null.</summary>
    public Uri? MetricsAddress { get; }

    /// <summary>
    /// Starts serving <paramref name="store"/> with <paramref name="options"/> (127.0.0.1:<see cref="TrackingServerOptions.DefaultPort"/>
    /// when null), without a blob store: file records are served, file contents (UploadFile, DownloadFile) end FailedPrecondition.
    /// </summary>
    /// <exception cref="InvalidOperationException">The address is not a loopback address and tokens or the certificate are missing (see <see cref="TrackingServerOptions.Address"/>).</exception>
    /// <exception cref="ArgumentException">Two tokens share a name or a secret.</exception>
    public static Task<TrackingServer> StartAsync(IMetadataStore store, TrackingServerOptions? options = null, CancellationToken cancellationToken = default)
        => StartAsync(store, blobs: null, options, cancellationToken);

    /// <summary>
    /// Starts serving <paramref name="store"/>, keeping uploaded file contents in <paramref name="blobs"/>, with
    /// <paramref name="options"/> (127.0.0.1:<see cref="TrackingServerOptions.DefaultPort"/> when null). The server owns
    /// neither store.
    /// </summary>
    /// <exception cref="InvalidOperationException">The address is not a loopback address and tokens or the certificate are missing (see <see cref="TrackingServerOptions.Address"/>).</exception>
    /// <exception cref="ArgumentException">Two tokens share a name or a secret.</exception>
    public static async Task<TrackingServer> StartAsync(IMetadataStore store, IBlobStore? blobs, TrackingServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new TrackingServerOptions();
        RefuseAnExposedServer(options);
        var tokens = new TokenTable(options.Tokens);
        var metrics = new TrackingServerMetrics();

        var builder = // No reloading of appsettings: it watches the content root (the current directory) recursively with inotify,
        // which cost a worker 25–40 ms per start (docs/performance.md, "Worker cold start") and, from a large tree such as a
        // home directory, can exhaust the user's inotify watches. A settings file there is still read once, at start.
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        ListenOptions? service = null, metricsListener = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port, listen =>
            {
                service = listen;
                listen.Protocols = HttpProtocols.Http2;
                if (options.Certificate is { } certificate) listen.UseHttps(certificate);
            });
            // Prometheus speaks HTTP/1.1, which a plain-HTTP port cannot share with gRPC's HTTP/2 (no ALPN to choose).
            if (options.MetricsPort is { } metricsPort)
                kestrel.Listen(options.Address, metricsPort, listen =>
                {
                    metricsListener = listen;
                    listen.Protocols = HttpProtocols.Http1;
                    if (options.Certificate is { } certificate) listen.UseHttps(certificate);
                });
        });
        builder.Services.AddSingleton<IMetadataStore>(new MeteredMetadataStore(store, metrics));
        builder.Services.AddSingleton(new TrackingBlobs(blobs is null ? null : new MeteredBlobStore(blobs, metrics)));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<EventSignal>();
        builder.Services.AddSingleton<TrackingGrpcService>();
        builder.Services.AddSingleton<TrackingEndpoint>();
        builder.Services.AddSingleton<IServiceMethodProvider<TrackingEndpoint>, TrackingMethodProvider>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxMessageBytes;
            grpc.MaxSendMessageSize = options.MaxMessageBytes;
            grpc.EnableDetailedErrors = false; // refusals carry their own message; anything else stays on the server
            if (!tokens.IsEmpty) grpc.Interceptors.Add<NamespaceAccessInterceptor>();
        });
        builder.Services.AddSingleton<NamespaceResolver>();
        var app = builder.Build();
        app.Use(CallMetricsMiddleware.Middleware(metrics));
        if (!tokens.IsEmpty) app.Use(BearerTokenCheck.Middleware(tokens));
        if (options.MetricsPort is not null) app.MapMetrics("/metrics", metrics.Registry);
        app.MapGrpcService<TrackingEndpoint>();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        string scheme = options.Certificate is null ? "http" : "https";
        return new TrackingServer(app, BoundAddress(scheme, service!, ""), metricsListener is null ? null : BoundAddress(scheme, metricsListener, "metrics"));
    }

    /// <summary>The address a listener bound (Kestrel writes the port it got into the options when asked for port 0).</summary>
    private static Uri BoundAddress(string scheme, ListenOptions listen, string path)
    {
        var endPoint = listen.IPEndPoint!;
        string host = endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        return new Uri($"{scheme}://{host}:{endPoint.Port}/{path}");
    }

    /// <summary>
    /// Refuses options that would serve the store to other machines unguarded: a non-loopback address needs tokens (or
    /// anyone who reaches the port could write) and a certificate (or the tokens would cross the network in clear text).
    /// </summary>
    private static void RefuseAnExposedServer(TrackingServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Address, nameof(options.Address));
        ArgumentNullException.ThrowIfNull(options.Tokens, nameof(options.Tokens));
        if (IPAddress.IsLoopback(options.Address)) return;
        if (options.Tokens.Count == 0)
            throw new InvalidOperationException(
                $"a tracking server bound to {options.Address} would be reachable from other machines with no token: anyone who reaches " +
                "the port could read and write every namespace. Configure tokens ([[tokens]] in the config, see `arc server init-config`) " +
                "or bind 127.0.0.1");
        if (options.Certificate is null)
            throw new InvalidOperationException(
                $"a tracking server bound to {options.Address} needs TLS: without it the tokens would cross the network in clear text. " +
                "Configure a certificate ([server.tls] in the config) or bind 127.0.0.1");
        if (!options.Certificate.HasPrivateKey)
            throw new InvalidOperationException($"the TLS certificate {options.Certificate.Subject} has no private key: the server cannot serve TLS with it");
    }

    /// <summary>Stops accepting calls, lets running ones finish briefly and releases the port. Disposing twice does nothing more.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
