using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    private TrackingServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the server listens (<c>http://127.0.0.1:port</c>), with the port the system picked when it was 0.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts serving <paramref name="store"/> with <paramref name="options"/> (127.0.0.1:<see cref="TrackingServerOptions.DefaultPort"/>
    /// when null), without a blob store: file records are served, file contents (UploadFile, DownloadFile) end FailedPrecondition.
    /// </summary>
    /// <exception cref="InvalidOperationException">The address is not a loopback address (see <see cref="TrackingServerOptions.Address"/>).</exception>
    public static Task<TrackingServer> StartAsync(IMetadataStore store, TrackingServerOptions? options = null, CancellationToken cancellationToken = default)
        => StartAsync(store, blobs: null, options, cancellationToken);

    /// <summary>
    /// Starts serving <paramref name="store"/>, keeping uploaded file contents in <paramref name="blobs"/>, with
    /// <paramref name="options"/> (127.0.0.1:<see cref="TrackingServerOptions.DefaultPort"/> when null). The server owns
    /// neither store.
    /// </summary>
    /// <exception cref="InvalidOperationException">The address is not a loopback address (see <see cref="TrackingServerOptions.Address"/>).</exception>
    public static async Task<TrackingServer> StartAsync(IMetadataStore store, IBlobStore? blobs, TrackingServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        options ??= new TrackingServerOptions();
        if (!IPAddress.IsLoopback(options.Address))
            throw new InvalidOperationException(
                $"a tracking server bound to {options.Address} would be reachable from other machines, and this server does not check " +
                "tokens yet: bind 127.0.0.1 (or ::1)");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(options.Address, options.Port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new TrackingBlobs(blobs));
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
        });
        var app = builder.Build();
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
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TrackingServer(app, new Uri(bound));
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
